"""Read `catalog/providers/*.yaml`, validate it in two layers, and compile it into plain records.

Layer one is the JSON Schema of each file (shape, types, vocabularies), then the pydantic model's
own rules (tier order, free means 0). Layer two is the cross-file checks: unique aliases, targets
that exist, no `base` cycles, max output within the context window. Every defect found in the run
is reported with its file, line, column and place in the document.

The compiled form is plain JSON-ready dicts: that is what the registry and the SQLite snapshot hold,
so neither needs pydantic or YAML at run time.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import CatalogError, CatalogIssue
from .lifecycle import is_dated, lifecycle_dates
from .patterns import MAX_PROVIDER_ID_LENGTH, PROVIDER_ID_PATTERN, printable

if TYPE_CHECKING:
    from .yamlload import YamlDocument

# YAML, JSON Schema, pydantic and difflib are imported by the functions that validate: loading a
# snapshot asks this module only for the file list, the hash and the two classes below. Those are
# plain classes, not dataclasses: `dataclasses` imports `inspect`, which alone costs about half a
# bare interpreter start, on a path whose whole budget is 3.5 starts.

PACKAGE_DIR = Path(__file__).parent
"""This package's directory as imported (a module's `__file__` is absolute)."""
ENV_CATALOG = "KABOT_MODELS_CATALOG"
"""Environment variable naming a catalog directory to use instead of the packaged one."""

#: Fields a model entry does not take from its `base`: they describe the offering, not the model.
#: Pricing is one of them: a gateway's price is its own, and assuming the base's would invent a number.
NOT_INHERITED = frozenset(
    {"pricing", "aliases", "status", "deprecation_date", "retirement_date", "successor", "is_premium", "litellm_id", "provenance",
     "unlisted", "acknowledged", "base"}
)
#: Defaults filled into every compiled record, so readers never need the pydantic defaults.
RECORD_DEFAULTS = {"status": "active", "mode": "chat"}

_SIMPLE_KEY = r"^[A-Za-z_][A-Za-z0-9_-]*$"
# Patterns are compiled by `re` on first use (and kept in its cache), not at import: only validating needs them.


# -- which files make a catalog, and their identity ------------------------------------------------
def packaged_catalog_dir() -> Path:
    """The catalog this package carries: inside the installed package, or the checkout's `catalog/`."""
    installed = PACKAGE_DIR / "catalog_data"
    if (installed / "providers").is_dir():
        return installed
    # A checkout: resolved, so a package directory linked in from elsewhere finds its own catalog.
    # Only here: resolving costs a system call per path component (0.2 ms) on every load.
    return PACKAGE_DIR.resolve().parent / "catalog"


def default_catalog_dir() -> Path:
    """`$KABOT_MODELS_CATALOG` when set, else the catalog this package carries (`packaged_catalog_dir`)."""
    override = os.environ.get(ENV_CATALOG)
    return Path(override).expanduser() if override else packaged_catalog_dir()


def provider_files(catalog_dir: str | os.PathLike[str]) -> list[os.DirEntry[str]]:
    """Entries of `providers/*.yaml`, sorted by name: the files that make a catalog, for hashing and compiling alike."""
    try:
        with os.scandir(os.path.join(catalog_dir, "providers")) as it:
            return sorted((e for e in it if e.name.endswith(".yaml")), key=lambda e: e.name)
    except OSError:
        return []


def catalog_files(catalog_dir: Path) -> list[Path]:
    """The provider files of a catalog directory, in a stable order (the ones its hash covers)."""
    return [Path(entry.path) for entry in provider_files(catalog_dir)]


def catalog_signature(catalog_dir: str | os.PathLike[str]) -> str:
    """Names, sizes and mtimes of the provider files: changes whenever an editor or git touches one."""
    parts = []
    for entry in provider_files(catalog_dir):
        try:
            st = entry.stat()
        except OSError:  # a dangling symlink: compiling reports it
            parts.append(f"{entry.name}:missing")
            continue
        parts.append(f"{entry.name}:{st.st_size}:{st.st_mtime_ns}")
    return "/".join(parts)


def catalog_hash(catalog_dir: str | os.PathLike[str]) -> str:
    """SHA-256 over every provider file's name and bytes: the identity of a catalog's content."""
    import hashlib

    from .files import MAX_FILE_BYTES, read_regular

    digest = hashlib.sha256()
    for entry in provider_files(catalog_dir):
        digest.update(entry.name.encode() + b"\0")
        try:
            digest.update(read_regular(entry.path, MAX_FILE_BYTES))
        except OSError:
            # Not a readable regular file (a FIFO, a device, a dangling symlink, too large): never
            # read it, and give a hash no snapshot has, so the catalog is compiled and says why.
            digest.update(b"\0unreadable\0" + os.urandom(16))
        digest.update(b"\0")
    return digest.hexdigest()


def format_where(path: tuple[Any, ...]) -> str:
    """`('models', 'gpt-4.1', 'pricing', 0)` -> `models["gpt-4.1"].pricing[0]`."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif len(part) > 80:  # a place is named, not quoted whole: a key may be megabytes long
            import json  # only messages quote keys: the load path reads no JSON here

            out += f"[{json.dumps(part[:40], ensure_ascii=True)}...]"
        elif re.match(_SIMPLE_KEY, part):
            out += f".{part}" if out else part
        else:
            import json

            out += f"[{json.dumps(part)}]"
    return out


class CatalogNames:
    """The names a compiled catalog's records answer to, in the form a registry indexes them.

    They follow from the records (`CatalogNames.of`); a snapshot stores them, so that loading one
    gives a registry its indices without reading a single record.
    """

    __slots__ = ("provider_aliases", "aliases", "bases", "statuses", "dates", "short_ids")

    def __init__(self, provider_aliases: dict[str, str], aliases: dict[str, str], bases: dict[str, str],
                 statuses: dict[str, str] | None = None,
                 dates: dict[str, tuple[str | None, str | None]] | None = None,
                 short_ids: dict[str, list[str]] | None = None) -> None:
        self.provider_aliases = provider_aliases
        """Provider alias -> provider id (`gemini` -> `google`)."""
        self.aliases = aliases
        """Catalog alias -> full id."""
        self.bases = bases
        """Full id -> its `base`, for the models that have one."""
        self.statuses = statuses if statuses is not None else {}
        """Full id -> its stated status, for the models that are not `active` (a resolve warns without reading a record)."""
        self.dates = dates if dates is not None else {}
        """Full id -> (deprecation date, retirement date), for the models that have one: the status
        a registry reports is computed from them on the day asked (`lifecycle.status_on`)."""
        self.short_ids = short_ids
        """Short id -> the full ids that carry it, in catalog order; None when not indexed yet (the
        registry indexes the model ids). A snapshot answers it, and `bases`, one name at a time."""

    @classmethod
    def of(cls, providers: Mapping[str, dict[str, Any]], models: Mapping[str, dict[str, Any]]) -> CatalogNames:
        """The names of these provider blocks and model records."""
        provider_aliases: dict[str, str] = {}
        for pid, block in providers.items():
            for alias in block.get("aliases", ()):
                if alias not in providers:  # a provider's own id names that provider
                    provider_aliases.setdefault(alias, pid)
        aliases: dict[str, str] = {}
        bases: dict[str, str] = {}
        statuses: dict[str, str] = {}
        dates: dict[str, tuple[str | None, str | None]] = {}
        for full_id, record in models.items():
            for alias in record.get("aliases", ()):
                aliases[alias] = full_id
            if record.get("base"):
                bases[full_id] = record["base"]
            if record.get("status", "active") != "active":
                statuses[full_id] = record["status"]
            if is_dated(record):
                dates[full_id] = lifecycle_dates(record)
        return cls(provider_aliases, aliases, bases, statuses, dates)


class CompiledCatalog:
    """The validated catalog as plain data: what a snapshot stores and a registry is built from."""

    __slots__ = ("providers", "models", "source_hash", "files", "names", "spellings")

    def __init__(self, providers: Mapping[str, dict[str, Any]], models: Mapping[str, dict[str, Any]],
                 source_hash: str = "", files: dict[str, str] | None = None, names: CatalogNames | None = None,
                 spellings: Any = None) -> None:
        self.providers = providers
        """Provider id -> provider block (with `id`), defaults filled, in catalog order."""
        self.models = models
        """Full id -> model record (with `id`, `provider`, `field_sources`), `base` already applied, in
        catalog order. A snapshot's mapping reads each record from its file when first asked for."""
        self.source_hash = source_hash
        """`catalog_hash()` of the directory the data came from."""
        self.files = files if files is not None else {}
        """Provider id -> file path, for messages."""
        self.names = names
        """The names the records answer to; None until `index()` derives them from the records."""
        self.spellings = spellings
        """The forgiving forms and suggestion pieces of those names, when stored with them
        (`snapshot.SnapshotSpellings`); None when they are still to be indexed (`spellings.Spellings`)."""

    def index(self) -> CatalogNames:
        """The names the records answer to (derived from the records once when not given)."""
        if self.names is None:
            self.names = CatalogNames.of(self.providers, self.models)
        return self.names


class _Parsed:
    """One provider file read: its provider id and its parsed YAML document.

    A plain class: a `typing.NamedTuple` compiles each (string) annotation when the module is
    imported, about 1 ms on the path that loads a snapshot and never validates.
    """

    __slots__ = ("provider_id", "doc")

    def __init__(self, provider_id: str, doc: YamlDocument) -> None:
        self.provider_id = provider_id
        self.doc = doc


class _Validator:
    """Collects issues across all files of one run."""

    def __init__(self, catalog_dir: Path) -> None:
        self.catalog_dir = catalog_dir
        self.issues: list[CatalogIssue] = []
        self.docs: dict[str, YamlDocument] = {}

    # -- reporting ---------------------------------------------------------------------------
    def add(self, doc: YamlDocument, path: tuple[Any, ...], message: str, *, key: bool = False) -> None:
        line, col = doc.position(path, key=key)
        self.issues.append(CatalogIssue(doc.file, line, col, format_where(path), message))

    def add_for_model(self, full_id: str, sub: tuple[Any, ...], message: str, *, key: bool = False) -> None:
        provider_id, api_id = full_id.split("/", 1)
        self.add(self.docs[provider_id], ("models", api_id, *sub), message, key=key)

    # -- layer one: one file at a time ---------------------------------------------------------
    def parse(self, path: Path) -> _Parsed | None:
        from .yamlload import YamlProblem, load_yaml_file

        display = _display_path(path)
        provider_id = path.stem
        try:
            doc = load_yaml_file(path, display)
        except YamlProblem as exc:
            self.issues.append(CatalogIssue(exc.file, exc.line, exc.column, "", exc.message))
            return None
        if not re.match(PROVIDER_ID_PATTERN, provider_id) or len(provider_id) > MAX_PROVIDER_ID_LENGTH:
            self.issues.append(CatalogIssue(display, 1, 1, "", f"file name {printable(_shown(path.name))} is not a valid provider id: use up to {MAX_PROVIDER_ID_LENGTH} lowercase letters, digits and '-'"))
            return None
        if doc.data is None:
            self.issues.append(CatalogIssue(display, 1, 1, "", "file is empty; a provider file needs a `provider:` block and a `models:` mapping"))
            return None
        if not isinstance(doc.data, dict):
            kind = type(doc.data).__name__
            self.issues.append(CatalogIssue(display, 1, 1, "", f"file holds a {kind}, not a mapping; a provider file needs a `provider:` block and a `models:` mapping"))
            return None
        self.docs[provider_id] = doc
        return _Parsed(provider_id, doc)

    def check_schema(self, parsed: _Parsed, validator: Any) -> tuple[dict[str, Any] | None, set[str]]:
        """Layer one for one file: (the data that validated, API ids of the model entries that did not).

        A defect inside one model entry leaves out that entry only; a defect anywhere else (the
        provider block, the top level) leaves out the whole file. Either way the rest of the catalog
        is still checked across files, so every independent error shows in one run.
        """
        doc = parsed.doc
        bad_models: set[str] = set()
        bad_file = False

        def blame(loc: tuple[Any, ...]) -> None:
            nonlocal bad_file
            if len(loc) >= 2 and loc[0] == "models":
                bad_models.add(str(loc[1]))
            else:
                bad_file = True

        for err in sorted(validator.iter_errors(doc.data), key=lambda e: list(map(str, e.absolute_path))):
            before = len(self.issues)
            self._report_schema_error(doc, err)
            path = tuple(err.absolute_path)
            if path == ("models",) and "propertyNames" in err.relative_schema_path:
                path = ("models", err.instance)  # a bad model id: that entry is left out
            if len(self.issues) > before:
                blame(path)
        from pydantic import ValidationError

        from .schema import ModelEntry, ProviderBlock

        data = doc.data
        if not bad_file:
            try:
                ProviderBlock.model_validate(data.get("provider"))
            except ValidationError as exc:
                for e in exc.errors():
                    self.add(doc, ("provider", *e["loc"]), e["msg"].removeprefix("Value error, "))
                bad_file = True
        models = data.get("models") or {}
        if not bad_file and isinstance(models, dict):
            for api_id, entry in models.items():
                if api_id in bad_models:
                    continue
                try:
                    ModelEntry.model_validate(entry)
                except ValidationError as exc:
                    for e in exc.errors():
                        self.add(doc, ("models", api_id, *e["loc"]), e["msg"].removeprefix("Value error, "))
                    bad_models.add(api_id)
        if bad_file:
            return None, bad_models
        return {**data, "models": {k: v for k, v in models.items() if k not in bad_models}}, bad_models

    def _report_schema_error(self, doc: YamlDocument, err: Any) -> None:
        import difflib

        path = tuple(err.absolute_path)
        if err.validator == "additionalProperties":
            allowed = list(err.schema.get("properties", {}))
            for extra in sorted(set(err.instance) - set(allowed)):
                hint = difflib.get_close_matches(str(extra), allowed, n=1)
                tip = f"did you mean {hint[0]!r}?" if hint else "allowed: " + ", ".join(allowed)
                self.add(doc, path + (extra,), f"unknown field {extra!r}; {tip}", key=True)
            return
        if err.validator == "maxLength" and isinstance(err.instance, str):
            # jsonschema's own message quotes the whole text, which may be megabytes long
            too_long = f"{_shown(err.instance)} is {len(err.instance):,} characters long; at most {err.validator_value} are allowed"
            key = "propertyNames" in err.relative_schema_path
            self.add(doc, path + (err.instance,) if key else path, too_long, key=key)
            return
        if "propertyNames" in err.relative_schema_path:
            from .schema import PATTERN_HELP

            reason = PATTERN_HELP.get(err.validator_value, err.message)
            self.add(doc, path + (err.instance,), f"invalid key {_shown(err.instance)}: {reason}", key=True)
            return
        if err.validator == "enum":
            options = [str(o) for o in err.validator_value]
            hint = difflib.get_close_matches(str(err.instance), options, n=1)
            tip = f"did you mean {hint[0]!r}?" if hint else "expected one of: " + ", ".join(options)
            self.add(doc, path, f"{err.instance!r} is not allowed here; {tip}")
            return
        if err.validator == "pattern":
            from .schema import PATTERN_HELP

            help_text = PATTERN_HELP.get(err.validator_value)
            if help_text:
                self.add(doc, path, f"{_shown(err.instance)} is not allowed: {help_text}")
                return
        if err.validator == "anyOf" and path and path[-1] == "release_date":
            self.add(doc, path, f"{_shown(str(err.instance))} is not a date: write YYYY-MM-DD, or YYYY-MM when only the month is known")
            return
        if err.validator == "required":
            self.add(doc, path, err.message + " (required field missing)")
            return
        self.add(doc, path, err.message)

    # -- layer two: across files -------------------------------------------------------------
    def cross_check(self, files: dict[str, dict[str, Any]], failed: set[str], failed_models: set[str] | None = None) -> CompiledCatalog:
        """Layer two over what passed layer one; references into what did not are not guessed about."""
        failed_models = failed_models or set()
        providers: dict[str, dict[str, Any]] = {}
        provider_alias_owner: dict[str, str] = {}
        for pid, data in files.items():
            block = _provider_defaults(data["provider"])
            block["id"] = pid
            providers[pid] = block
        for pid, block in providers.items():
            for i, alias in enumerate(block["aliases"]):
                where = ("provider", "aliases", i)
                if alias in providers:
                    self.add(self.docs[pid], where, f"provider alias {alias!r} is the id of another provider")
                elif alias in provider_alias_owner:
                    self.add(self.docs[pid], where, f"provider alias {alias!r} is already used by {provider_alias_owner[alias]!r}")
                else:
                    provider_alias_owner[alias] = pid

        self._check_kabot_names(providers)

        raw: dict[str, dict[str, Any]] = {}
        for pid, data in files.items():
            for api_id, entry in (data.get("models") or {}).items():
                raw[f"{pid}/{api_id}"] = entry

        for pid, block in providers.items():
            for i, api_id in enumerate(block["recommended"]):
                if f"{pid}/{api_id}" not in raw and f"{pid}/{api_id}" not in failed_models:
                    self.add(self.docs[pid], ("provider", "recommended", i), f"recommended model {api_id!r} is not in this file's models{_did_you_mean(api_id, [k.split('/', 1)[1] for k in raw if k.startswith(pid + '/')])}")

        uncertain = self._check_targets(raw, provider_alias_owner, failed, failed_models)
        models = self._inherit(raw)
        self._check_records(models, uncertain)
        self._check_successors(models)
        self._check_aliases(models)
        return CompiledCatalog(providers=providers, models=models, files={p: d.file for p, d in self.docs.items()})

    def _check_kabot_names(self, providers: dict[str, dict[str, Any]]) -> None:
        # Kabot finds a provider by its name and hands keys out in its order: each must mean one provider.
        names: dict[str, str] = {}
        orders: dict[int, str] = {}
        for pid, block in providers.items():
            kabot = block.get("kabot") or {}
            name, order = kabot.get("name"), kabot.get("order")
            if name is not None:
                if name in providers and name != pid:
                    self.add(self.docs[pid], ("provider", "kabot", "name"), f"Kabot name {name!r} is the id of another provider")
                elif name in names:
                    self.add(self.docs[pid], ("provider", "kabot", "name"), f"Kabot name {name!r} is already used by {names[name]!r}")
                else:
                    names[name] = pid
            if order is not None:
                if order in orders:
                    self.add(self.docs[pid], ("provider", "kabot", "order"), f"Kabot order {order} is already {orders[order]!r}'s")
                else:
                    orders[order] = pid

    def _check_targets(self, raw: dict[str, dict[str, Any]], provider_aliases: dict[str, str], failed: set[str],
                       failed_models: set[str]) -> set[str]:
        """Check `base` and `successor` targets; returns the models whose base could not be followed
        because it failed layer one (what they inherit is unknown, so no check guesses about it)."""
        uncertain: set[str] = set()
        for full_id, entry in raw.items():
            for fld in ("base", "successor"):
                target = entry.get(fld)
                if target is None:
                    continue
                if target.split("/", 1)[0] in failed or target in failed_models:
                    entry.pop(fld)  # its file or entry has errors of its own; do not guess about it
                    if fld == "base":
                        uncertain.add(full_id)
                    continue
                if target == full_id:
                    self.add_for_model(full_id, (fld,), f"{fld} points at the model itself")
                elif target not in raw:
                    pid, _, rest = target.partition("/")
                    canon = f"{provider_aliases[pid]}/{rest}" if pid in provider_aliases else None
                    if canon and canon in raw:
                        tip = f"; write the canonical id {canon!r}"
                    else:
                        tip = _did_you_mean(target, list(raw))
                    self.add_for_model(full_id, (fld,), f"{fld} {target!r} is not a model in the catalog{tip}")
                    entry.pop(fld)  # reported; keep checking the rest without it
                    if fld == "base":
                        uncertain.add(full_id)
        changed = True
        while changed:  # a copy of an uncertain model is uncertain too
            changed = False
            for full_id, entry in raw.items():
                if full_id not in uncertain and entry.get("base") in uncertain:
                    uncertain.add(full_id)
                    changed = True
        return uncertain

    def _inherit(self, raw: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
        done: dict[str, dict[str, Any]] = {}

        def build(full_id: str, chain: list[str]) -> dict[str, Any]:
            if full_id in done:
                return done[full_id]
            entry = raw[full_id]
            record: dict[str, Any] = {}
            sources: dict[str, str] = {}
            base_id = entry.get("base")
            if base_id is not None:
                if base_id in chain:
                    cycle = " -> ".join(chain[chain.index(base_id):] + [base_id])
                    self.add_for_model(full_id, ("base",), f"base cycle: {cycle}")
                else:
                    parent = build(base_id, chain + [full_id])
                    for key, value in parent.items():
                        if key not in NOT_INHERITED and key not in ("id", "provider", "field_sources"):
                            record[key] = value
                            sources[key] = f"base:{base_id}"
            for key, value in entry.items():
                record[key] = value
                sources[key] = "catalog"
            for key, value in RECORD_DEFAULTS.items():
                record.setdefault(key, value)
            pid = full_id.split("/", 1)[0]
            record["id"] = full_id
            record["provider"] = pid
            record["field_sources"] = sources
            done[full_id] = record
            return record

        for full_id in raw:
            build(full_id, [])
        return {k: done[k] for k in raw}

    def _check_records(self, models: dict[str, dict[str, Any]], uncertain: set[str]) -> None:
        named: dict[tuple[str, str], str] = {}  # (provider, display name) -> the first model with it
        folded: dict[str, str] = {}  # case-folded full id -> the first model with it
        for full_id, rec in models.items():
            first = folded.setdefault(full_id.lower(), full_id)
            if first != full_id:
                # Names resolve case-insensitively: two such ids make either spelling ambiguous.
                self.add_for_model(full_id, (), f"id differs from {first!r} only in case; one model has one entry: merge"
                                   " them under the provider's own spelling", key=True)
            if full_id in uncertain:
                continue  # its base is missing or broken (reported where it is); what it inherits is unknown
            if not rec.get("name"):
                self.add_for_model(full_id, (), "model has no name: set `name` (or a `base` to inherit it from)", key=True)
            elif (rec["provider"], rec["name"]) in named:
                # Two rows of `list` or the login picker reading alike cannot be told apart.
                first = named[(rec["provider"], rec["name"])]
                self.add_for_model(full_id, (), f"display name {rec['name']!r} is also the name of {first}; names are unique within a"
                                   " provider: add what tells them apart (a date, a variant, the id)", key=True)
            else:
                named[(rec["provider"], rec["name"])] = full_id
            ctx, out = rec.get("context_window"), rec.get("max_output")
            own_fields = [f for f in ("max_output", "context_window") if rec["field_sources"].get(f) == "catalog"]
            if ctx is not None and out is not None and out > ctx and own_fields:
                # Point at whichever of the two this entry wrote itself; a copy inheriting both is its base's error.
                own = own_fields[0]
                self.add_for_model(full_id, (own,), f"max_output {out:,} is above the context window {ctx:,}")

    def _check_successors(self, models: dict[str, dict[str, Any]]) -> None:
        """A successor chain must end: each loop is reported once, at its first model (linear in the catalog)."""
        state: dict[str, bool] = {}  # full id -> True while on the walk under way, False once known to end
        for start in models:
            walk: list[str] = []
            current: str | None = start
            while current in models and current not in state:
                state[current] = True
                walk.append(current)
                current = models[current].get("successor")
            if current is not None and state.get(current) and current != walk[-1]:
                loop = walk[walk.index(current):]
                self.add_for_model(loop[0], ("successor",),
                                   f"successor cycle: {' -> '.join(loop + [current])}; the last model of a chain names no successor")
            for full_id in walk:
                state[full_id] = False

    def _check_aliases(self, models: dict[str, dict[str, Any]]) -> None:
        short_owner: dict[str, list[str]] = {}
        for full_id in models:
            short_owner.setdefault(full_id.split("/", 1)[1].lower(), []).append(full_id)
        owner: dict[str, str] = {}
        for full_id, rec in models.items():
            for i, alias in enumerate(rec.get("aliases", [])):
                where = ("aliases", i)
                if alias in owner:
                    self.add_for_model(full_id, where, f"alias {alias!r} is already used by {owner[alias]!r}; an alias names one model")
                    continue
                owner[alias] = full_id
                if alias in models:
                    self.add_for_model(full_id, where, f"alias {alias!r} is the id of another model")
                others = [m for m in short_owner.get(alias, []) if m != full_id]
                if others:
                    self.add_for_model(full_id, where, f"alias {alias!r} equals the id of {others[0]!r}, which it would hide")
                elif full_id in short_owner.get(alias, []):
                    self.add_for_model(full_id, where, f"alias {alias!r} is the model's own id; remove it")


def _shown(value: object) -> str:
    """A value quoted for a one-line message: escapes visible, long text cut."""
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _display_path(path: Path) -> str:
    """The file as messages name it: relative to the working directory when under it (a symlinked
    file by its own name, not its target's), escapes made visible (a file name is untrusted text)."""
    try:
        shown = str(path.absolute().relative_to(Path.cwd()))
    except ValueError:
        shown = str(path)
    return printable(shown)


def _did_you_mean(name: str, options: list[str]) -> str:
    import difflib

    hint = difflib.get_close_matches(name, options, n=1, cutoff=0.6)
    return f"; did you mean {hint[0]!r}?" if hint else ""


def _provider_defaults(block: dict[str, Any]) -> dict[str, Any]:
    """The provider block with every default written out (cheap: no pydantic at run time)."""
    out = dict(block)
    out.setdefault("aliases", [])
    out.setdefault("kind", "first-party")
    out["api"] = {"flavor": "openai", **block.get("api", {})}
    out["auth"] = {"env": [], "header": "bearer", "required": True, **block.get("auth", {})}
    out["litellm"] = {"skip_prefixes": [], "strip_model_prefix": False, **block.get("litellm", {})}
    out.setdefault("keywords", [])
    out.setdefault("priority", 100)
    out.setdefault("recommended", [])
    return out


_VALIDATOR_CACHE: list[Any] = []


def _schema_validator() -> Any:
    if not _VALIDATOR_CACHE:
        from jsonschema import Draft202012Validator, FormatChecker

        from .schema import provider_json_schema

        _VALIDATOR_CACHE.append(Draft202012Validator(provider_json_schema(), format_checker=FormatChecker()))
    return _VALIDATOR_CACHE[0]


def validate_catalog(catalog_dir: Path | None = None, extra_files: list[Path] | None = None) -> tuple[CompiledCatalog | None, list[CatalogIssue]]:
    """Validate a catalog directory (plus any extra provider files, e.g. from plugins).

    Returns the compiled catalog (None when any issue was found) and every issue found.
    """
    catalog_dir = Path(catalog_dir) if catalog_dir else default_catalog_dir()
    v = _Validator(catalog_dir)
    providers_dir = catalog_dir / "providers"
    if not providers_dir.is_dir():
        v.issues.append(CatalogIssue(str(catalog_dir), 1, 1, "", "no `providers/` directory here; point at the directory that holds it"))
        return None, v.issues
    paths = catalog_files(catalog_dir) + list(extra_files or [])
    if not paths:
        v.issues.append(CatalogIssue(str(providers_dir), 1, 1, "", "no provider files (*.yaml) found"))
        return None, v.issues
    validator = _schema_validator()
    good: dict[str, dict[str, Any]] = {}
    failed: set[str] = set()
    failed_models: set[str] = set()
    for path in paths:
        parsed = v.parse(path)
        if parsed is None:
            failed.add(path.stem)
            continue
        if parsed.provider_id in good:
            v.issues.append(CatalogIssue(parsed.doc.file, 1, 1, "", f"provider {parsed.provider_id!r} is defined twice"))
            continue
        data, bad_models = v.check_schema(parsed, validator)
        if data is None:
            failed.add(parsed.provider_id)
        else:
            good[parsed.provider_id] = data
            failed_models.update(f"{parsed.provider_id}/{api_id}" for api_id in bad_models)
    compiled = v.cross_check(good, failed, failed_models)
    if v.issues:
        return None, v.issues
    compiled.source_hash = catalog_hash(catalog_dir)
    return compiled, []


def compile_catalog(catalog_dir: Path | None = None, extra_files: list[Path] | None = None) -> CompiledCatalog:
    """Validate and compile, raising `CatalogError` (with every issue) on any defect."""
    compiled, issues = validate_catalog(catalog_dir, extra_files)
    if compiled is None:
        raise CatalogError(issues)
    return compiled
