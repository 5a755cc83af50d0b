"""Write models.dev's `api.json` (gzipped) from a checkout of github.com/anomalyco/models.dev.

The audit's models.dev fixture, tests/fixtures/models-dev/api.json.gz, is this script's output for
the commit the catalog imported (its `version`):

    python scripts/models_dev_api.py CHECKOUT tests/fixtures/models-dev/api.json.gz

CHECKOUT is a directory holding the repository's providers/ and models/ (for a bare mirror:
`git --git-dir=MIRROR archive HEAD providers models | tar -x -C CHECKOUT`).
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from pathlib import Path

from kabot_models.sync.sources.models_dev import read_checkout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("checkout", type=Path, help="a models.dev checkout (providers/ and models/)")
    parser.add_argument("out", type=Path, help="where to write api.json.gz")
    args = parser.parse_args(argv)
    try:
        providers = read_checkout(args.checkout)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    text = json.dumps(providers, sort_keys=True, separators=(",", ":"), default=str)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))
    models = sum(len(p.get("models") or {}) for p in providers.values())
    print(f"{args.out}: {len(providers)} providers, {models} models")
    return 0


if __name__ == "__main__":
    sys.exit(main())
