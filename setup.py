"""Build step: compile the catalog into the SQLite snapshot the wheel carries.

Everything else about the package is declared in pyproject.toml. This adds one thing to `build_py`:
after the package files are copied, the catalog under `catalog/` is validated and compiled into
`kabot_models/catalog_data/catalog.sqlite` in the build directory, so an installed user reads the
snapshot and never parses YAML at import. An invalid catalog fails the build with its defects.
"""

from __future__ import annotations

import os
import sys

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = os.path.dirname(os.path.abspath(__file__))


class build_py_with_snapshot(build_py):  # noqa: N801 - setuptools command naming
    """`build_py` that also writes the compiled catalog snapshot into the built package."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads the checkout's catalog through the snapshot cache
        sys.path.insert(0, HERE)
        try:
            from kabot_models.catalog import catalog_signature, compile_catalog
            from kabot_models.snapshot import PACKAGED_SNAPSHOT, write_snapshot
        finally:
            sys.path.remove(HERE)
        catalog_dir = os.path.join(HERE, "catalog")
        out = os.path.join(self.build_lib, "kabot_models", "catalog_data", PACKAGED_SNAPSHOT)
        compiled = compile_catalog(catalog_dir)
        write_snapshot(compiled, out, signature=catalog_signature(catalog_dir))
        print(f"compiled {len(compiled.models)} models into {out}")


setup(cmdclass={"build_py": build_py_with_snapshot})
