"""`kabot-models auth login|status|logout`: keys, verified before they are kept, and the model to use.

`login` reads the key (hidden prompt, `--key-env VAR`, or standard input), verifies it by listing
the provider's models through the scanner's runner and the provider's plugin, keeps it in the
credentials file (mode 0600), saves the listing like a scan, then lets the user pick a model
(recommended ones first) and patches the user config: default model, the plugin's suggested
aliases (never replacing one of the user's without asking), and `--base-url` as the provider's
`api_base`. Nothing is kept when the key is refused.
"""

from __future__ import annotations

import os
import sys
from typing import Any

import typer

from .typer_app import app
from .output import fail, print_json

auth_app = typer.Typer(help="Log in to providers (keys are verified, then kept in a private file), see and remove keys.", no_args_is_help=True)
app.add_typer(auth_app, name="auth")


def _provider(registry: Any, name: str) -> dict[str, Any]:
    """The provider block for an id or alias; an unknown name exits with the closest id."""
    pid = registry.canonical_provider(name)
    if pid is None:
        import difflib

        known = [b["id"] for b in registry.provider_records()]
        close = difflib.get_close_matches(name, known, n=1)
        fail(f"unknown provider {name!r}" + (f"; did you mean {close[0]!r}?" if close else "; `kabot-models list --json` shows the providers"))
    return next(b for b in registry.provider_records() if b["id"] == pid)


def _read_key(block: dict[str, Any], key_env: str | None, no_input: bool) -> str | None:
    """The key from --key-env, standard input (when it is not a terminal) or a hidden prompt."""
    required = block.get("auth", {}).get("required", True)
    if key_env:
        value = os.environ.get(key_env, "").strip()
        if not value:
            fail(f"--key-env {key_env}: the variable is not set or is empty")
        return value
    if not sys.stdin.isatty():
        value = sys.stdin.readline().strip()
        if not value and required:
            fail("no key on standard input; pipe the key in, or use --key-env VAR")
        return value or None
    if no_input:
        if not required:
            return None
        fail("--no-input needs the key from --key-env VAR or on standard input")
    if not required:
        return None  # a local server: nothing to ask
    import getpass

    value = getpass.getpass(f"API key for {block.get('name', block['id'])} (input hidden): ").strip()
    if not value:
        fail("no key entered; nothing was stored")
    return value


def _verify(block: dict[str, Any], base_url: str, key: str | None) -> Any:
    """List the provider's models with `key` (the scanner's runner and plugin); exit when refused."""
    import asyncio

    from ..scanner import Target, scan_all

    typer.echo(f"checking the key with {base_url} ...", err=True)
    result = asyncio.run(scan_all([Target(block, base_url, key, "the key given")]))[0]
    if result.status != "ok":
        fail(f"{block['id']}: the key was not accepted: {result.reason}; nothing was stored")
    return result


def _save_listing(result: Any) -> None:
    """Keep the verified listing as a scan, so models only the live API has show up in `list`."""
    from ..paths import db_path
    from ..store import Store

    with Store(db_path()) as store:
        run_id = store.begin_run()
        store.save_provider(run_id, result.provider, result.base_url, result.started_at, result.seconds,
                            result.entries, result.skipped, result.duplicates)
        store.finish_run(run_id)


def _choices(registry: Any, block: dict[str, Any], live_ids: list[str]) -> list[Any]:
    """Picker lines: the plugin's recommendations first, then the rest of what the live API listed."""
    from ..cost import decimal_text, to_decimal
    from ..picker import Choice
    from ..plugins import login_hook

    pid = block["id"]
    recommended = [m for m in login_hook(block, "recommended_models")(block, list(live_ids))
                   if m in live_ids or registry.record(f"{pid}/{m}") is not None]
    out = []
    for api_id in list(dict.fromkeys(recommended)) + sorted(set(live_ids) - set(recommended)):
        rec = registry.record(f"{pid}/{api_id}") or {}
        hint = []
        if api_id in recommended:
            hint.append("recommended")
        price = rec.get("pricing") or {}
        if price.get("input_1m") is not None and price.get("output_1m") is not None:
            hint.append(f"${decimal_text(to_decimal(price['input_1m']))}/${decimal_text(to_decimal(price['output_1m']))} per 1M in/out")
        if rec.get("context_window"):
            hint.append(f"{rec['context_window']:,} context")
        label = f"{pid}/{api_id}" + (f"  {rec['name']}" if rec.get("name") else "")
        out.append(Choice(f"{pid}/{api_id}", label, ", ".join(hint)))
    return out


def _chosen_model(registry: Any, block: dict[str, Any], choices: list[Any], model: str | None, interactive: bool, has_default: bool) -> str | None:
    """The model to make the default: `--model`, the picker's answer, or (without input) the first choice."""
    pid = block["id"]
    offered = [c.value for c in choices]
    if model:
        for name in (f"{pid}/{model}", model):
            if name in offered:
                return name
        try:
            full_id = registry.resolve(model)
        except LookupError:
            full_id = None
        if full_id and full_id.startswith(pid + "/") and (full_id in offered or registry.record(full_id) is not None):
            return full_id
        fail(f"--model {model!r} is not a model of {pid}; it offers: " + ", ".join(offered[:10]) + (" ..." if len(offered) > 10 else ""))
    if not choices:
        return None
    if not interactive:
        return None if has_default else choices[0].value
    from ..picker import PickerCancelled, pick

    try:
        return pick(f"Pick the default model ({pid}):", choices)
    except PickerCancelled:
        typer.echo("no model picked; the default model is unchanged", err=True)
        return None


def _apply_patch(patch: dict[str, Any], config: dict[str, Any], interactive: bool) -> list[str]:
    """Write the login patch into the user config; returns what was done, one line each."""
    from ..config import update_config

    notes: list[str] = []
    current = config.get("aliases") or {}
    aliases = {}
    for alias, target in (patch.get("aliases") or {}).items():
        if current.get(alias) == target:
            continue
        if alias in current:
            if interactive and typer.confirm(f"Your alias {alias!r} points to {current[alias]}; point it to {target} instead?", default=False, err=True):
                notes.append(f"alias {alias} -> {target} (was {current[alias]})")
            else:
                notes.append(f"kept your alias {alias} -> {current[alias]} (suggested: {target})")
                continue
        else:
            notes.append(f"alias {alias} -> {target}")
        aliases[alias] = target
    default = patch.get("default_model")
    providers = patch.get("providers") or {}

    def change(doc: Any) -> None:
        from ruamel.yaml.comments import CommentedMap

        if default:
            doc["default_model"] = default
        if aliases:
            if not isinstance(doc.get("aliases"), dict):
                doc["aliases"] = CommentedMap()
            doc["aliases"].update(aliases)
        for pid, settings in providers.items():
            if not isinstance(doc.get("providers"), dict):
                doc["providers"] = CommentedMap()
            if not isinstance(doc["providers"].get(pid), dict):
                doc["providers"][pid] = CommentedMap()
            doc["providers"][pid].update(settings)

    if default or aliases or providers:
        update_config(change)
    if default:
        notes.insert(0, f"default model: {default}")
    for pid, settings in providers.items():
        if "api_base" in settings:
            notes.append(f"{pid} api_base: {settings['api_base']}")
    return notes


@auth_app.command("login")
def login(
    provider: str = typer.Argument(..., help="Provider id or alias, e.g. openai."),
    key_env: str = typer.Option(None, "--key-env", metavar="VAR", help="Read the key from this environment variable instead of asking."),
    model: str = typer.Option(None, "--model", metavar="ID", help="Make this model the default instead of picking one."),
    no_input: bool = typer.Option(False, "--no-input", help="Never prompt: key from --key-env or stdin; first recommended model unless a default is set."),
    base_url: str = typer.Option(None, "--base-url", metavar="URL", help="Call this API base URL (kept as the provider's api_base)."),
) -> None:
    """Verify a key by listing the provider's models, keep it (mode 0600), pick the default model."""
    from ..config import load_config
    from ..credentials import load_credentials, mask_key, store_key
    from ..picker import can_pick
    from ..plugins import login_hook
    from .catalog_cmds import load_cli_registry

    registry = load_cli_registry()
    block = _provider(registry, provider)
    pid = block["id"]
    config = load_config()  # a broken config or credentials file stops the login before anything is stored
    load_credentials()
    url = base_url or ((config.get("providers") or {}).get(pid) or {}).get("api_base") or block.get("api", {}).get("base_url")
    if not url:
        fail(f"{pid} has no API base URL in the catalog; pass --base-url URL")
    from ..scanner import check_base_url

    problem = check_base_url(url)
    if problem:
        fail(f"{pid}: {problem}")
    if block.get("api", {}).get("flavor") == "none":
        fail(f"{pid} has no list-models API (api.flavor: none), so a key cannot be verified by listing models")
    key = _read_key(block, key_env, no_input)
    result = _verify(block, url, key)
    live_ids = [e.id for e in result.entries]
    if key:
        path = store_key(pid, key)
        typer.echo(f"key for {pid} verified ({len(live_ids)} models listed) and saved to {path} ({mask_key(key)})", err=True)
    else:
        typer.echo(f"{pid} answered without a key ({len(live_ids)} models listed)", err=True)
    _save_listing(result)

    interactive = not no_input and can_pick() and sys.stderr.isatty()
    choices = _choices(registry, block, live_ids)
    chosen = _chosen_model(registry, block, choices, model, interactive, bool(config.get("default_model")))
    aliases = login_hook(block, "suggested_aliases")(block, chosen) if chosen else {}
    patch = login_hook(block, "login_patch")(block, chosen, base_url, aliases)
    for note in _apply_patch(patch, config, interactive):
        typer.echo(note)
    typer.echo(f"see it with: kabot-models list --provider {pid}")


@auth_app.command("status")
def status(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Providers with a key (or settings), where each key comes from, masked like sk-...abcd."""
    from ..config import load_config
    from ..credentials import is_private, load_credentials, provider_key
    from ..paths import credentials_path
    from .catalog_cmds import load_cli_registry

    registry = load_cli_registry()
    stored = load_credentials()
    settings = load_config().get("providers") or {}
    rows = []
    for block in registry.provider_records():
        pid = block["id"]
        mine = settings.get(pid) or {}
        found = provider_key(block, stored, mine.get("key_env"))
        if found is None and pid not in settings and pid not in stored:
            continue
        shadowed = found is not None and found.source == "env" and pid in stored
        rows.append({
            "provider": pid,
            "source": found.describe() if found else "no key",
            "key": found.masked if found else None,
            "api_base": mine.get("api_base"),
            "note": "a stored key is overridden by the environment" if shadowed else None,
        })
    unknown = sorted(set(stored) - {b["id"] for b in registry.provider_records()})
    if as_json:
        print_json({"providers": rows, "unknown_stored": unknown, "credentials_file": str(credentials_path())})
        return
    if not rows:
        typer.echo("no provider is configured; run `kabot-models auth login PROVIDER`")
    for row in rows:
        extra = f", api_base {row['api_base']}" if row["api_base"] else ""
        key = f" {row['key']}" if row["key"] else ""
        note = f" ({row['note']})" if row["note"] else ""
        typer.echo(f"{row['provider']}: {row['source']}{key}{extra}{note}")
    for pid in unknown:
        typer.echo(f"{pid}: stored key for a provider the catalog does not know (`kabot-models auth logout {pid}` removes it)")
    if not is_private():
        typer.echo(f"warning: {credentials_path()} can be read by other users; run `chmod 600` on it", err=True)


@auth_app.command("logout")
def logout(provider: str = typer.Argument(..., help="Provider id or alias.")) -> None:
    """Remove a provider's stored key (keys in environment variables are left alone)."""
    from ..credentials import load_credentials, provider_key, remove_key
    from .catalog_cmds import load_cli_registry

    registry = load_cli_registry()
    pid = registry.canonical_provider(provider)
    if pid is None and provider not in load_credentials():
        _provider(registry, provider)  # exits with the closest name
    pid = pid or provider
    if remove_key(pid):
        typer.echo(f"removed the stored key for {pid}")
    else:
        typer.echo(f"no stored key for {pid}")
    block = next((b for b in registry.provider_records() if b["id"] == pid), None)
    still = provider_key(block, {}) if block else None
    if still is not None:
        typer.echo(f"note: {still.describe()} still holds a key for {pid}")
