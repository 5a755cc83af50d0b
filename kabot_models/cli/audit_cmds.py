"""Commands that measure the catalog: `audit` (against LiteLLM / genai-prices) and `stats`."""

from __future__ import annotations

from enum import Enum
from pathlib import Path

import typer

from .typer_app import app
from .output import fail, print_json


class Against(str, Enum):
    litellm = "litellm"
    genai_prices = "genai-prices"
    models_dev = "models-dev"
    all = "all"


CATALOG_OPTION = typer.Option(None, "--catalog", help="Directory holding providers/ (default: the packaged catalog).")
MODELS_DEV_OPTION = typer.Option(None, "--models-dev", help="models.dev's data: its api.json (or .json.gz) or a checkout; the repository keeps one at tests/fixtures/models-dev/api.json.gz.")


def _catalog(catalog_dir: Path | None):
    from ..catalog import validate_catalog

    compiled, issues = validate_catalog(catalog_dir)
    if compiled is None:
        fail(f"the catalog does not validate ({len(issues)} issue(s)); run `kabot-models validate`: {issues[0]}")
    return compiled


@app.command()
def audit(
    against: Against = typer.Option(Against.litellm, "--against", help="The dataset to compare with: litellm, genai-prices, models-dev or all."),
    models_dev: Path = MODELS_DEV_OPTION,
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    catalog_dir: Path = CATALOG_OPTION,
) -> None:
    """Compare catalog prices, context windows and max output with another dataset; exit 1 on an unacknowledged difference."""
    from ..audit import DatasetMissing
    from ..audit import audit as run_audit

    compiled = _catalog(catalog_dir)
    try:
        report = run_audit(compiled, against.value, models_dev=models_dev)
    except DatasetMissing as exc:
        fail(str(exc), code=2)
    bad = report.unacknowledged
    if as_json:
        print_json({"matched": report.matched, "agreement": {ds: report.agreement(ds) for ds in report.matched},
                    "differences": [d.as_dict() for d in report.differences], "unacknowledged": len(bad), "ok": not bad})
    else:
        for d in report.differences:
            mark = "acknowledged" if d.acknowledged else "DIFFERS"
            typer.echo(f"{mark:12}  {d.model}  {d.field}  catalog={d.catalog}  {d.dataset}={d.other}  ({d.other_key})")
        matched = ", ".join(f"{k}: {v} models matched, {report.agreement(k):.1%} agree on every figure" if v else f"{k}: 0 models matched"
                            for k, v in report.matched.items())
        typer.echo(f"{matched}; {len(report.differences)} difference(s), {len(bad)} not acknowledged")
    if bad:
        raise typer.Exit(1)


@app.command()
def stats(
    as_json: bool = typer.Option(False, "--json", help="Print the counts as JSON."),
    models_dev: Path = MODELS_DEV_OPTION,
    catalog_dir: Path = CATALOG_OPTION,
) -> None:
    """Count providers and offerings, field coverage among active chat models, figures by provenance method, and unexplained disagreements per dataset."""
    from ..stats import catalog_stats, unexplained_disagreements

    compiled = _catalog(catalog_dir)
    data = catalog_stats(compiled)
    from ..audit import DatasetMissing

    try:
        data["unexplained_disagreements"] = unexplained_disagreements(compiled, models_dev=models_dev)
    except DatasetMissing as exc:
        fail(str(exc), code=2)
    if as_json:
        print_json(data)
        return
    for key in ("providers", "offerings", "with_price", "with_context_window", "chat_with_price_and_context", "active_chat_models"):
        typer.echo(f"{key.replace('_', ' '):30} {data[key]}")
    for group in ("coverage_active_chat", "provenance_methods", "unexplained_disagreements", "status", "mode", "capabilities", "providers_by_models"):
        typer.echo(f"\n{group.replace('_', ' ')}:")
        for k, v in data[group].items():
            typer.echo(f"  {k:28} {'-' if v is None else v}")
