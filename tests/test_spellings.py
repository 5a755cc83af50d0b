"""The spelling index (forgiving forms, suggestions): the one a snapshot stores answers as the one
built in memory does, and names added or replaced after loading are found (or no longer found)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from kabot_models.errors import ResolutionError, UnknownModelError
from kabot_models.loader import compile_registry, new_registry
from kabot_models.snapshot import read_snapshot, write_snapshot
from kabot_models.spellings import Spellings, nearest, trigrams

FIXTURE = Path(__file__).parent / "fixtures" / "resolver"


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    monkeypatch.setenv("KABOT_MODELS_HOME", str(tmp_path / "home"))
    for var in ("GROQ_API_KEY", "CEREBRAS_API_KEY", "VENICE_API_KEY"):
        monkeypatch.delenv(var, raising=False)


def _answer(registry, name: str) -> tuple[str, object]:
    """What resolving `name` gives: ("id", full id), ("unknown", suggestions) or ("error", message)."""
    import warnings

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # retired models warn; the answer is what is compared
            return "id", registry.resolve(name)
    except UnknownModelError as exc:
        return "unknown", exc.suggestions
    except ResolutionError as exc:
        return "error", str(exc)


def _pair(tmp_path):
    """The fixture catalog compiled in memory (no stored index) and read back from its snapshot."""
    in_memory = compile_registry(FIXTURE)
    snap = tmp_path / "fixture.sqlite"
    write_snapshot(in_memory.as_compiled(), snap)
    stored = new_registry()
    compiled = read_snapshot(snap)
    assert compiled is not None and compiled.spellings is not None
    stored.load_compiled(compiled)
    for reg in (in_memory, stored):
        reg.use_user_config({})
    return in_memory, stored


def _queries(registry) -> list[str]:
    """Every name in other spellings (case, punctuation, no date) and with one-letter typos."""
    names = sorted({n for i in registry.ids() for n in (i, i.split("/", 1)[1])} | set(registry.aliases()))
    rng = random.Random(5)
    out = []
    for name in names:
        out += [name.upper(), name.replace("-", "_").replace(".", "-"), name.rsplit("-", 1)[0]]
        i = rng.randrange(len(name))
        out += [name[:i] + name[i + 1:], name[:i] + "q" + name[i:]]
    return out + ["nothing-like-it", "zz", "openai/nope-9"]


def test_stored_index_answers_as_the_built_one(tmp_path) -> None:
    in_memory, stored = _pair(tmp_path)
    queries = _queries(in_memory)
    differ = [(q, _answer(in_memory, q), _answer(stored, q)) for q in queries if _answer(in_memory, q) != _answer(stored, q)]
    assert not differ, differ[:5]
    kinds = {_answer(stored, q)[0] for q in queries}
    assert kinds >= {"id", "unknown"}  # the queries reach both forgiving forms and suggestions


def test_names_added_after_loading_are_found(tmp_path) -> None:
    _, stored = _pair(tmp_path)
    stored.add_model({"id": "openai/brand-new-model-20990101", "provider": "openai", "name": "New",
                      "status": "active", "mode": "chat", "aliases": ["shiny-alias"]})
    assert stored.resolve("BRAND.NEW.MODEL-20990101") == "openai/brand-new-model-20990101"
    assert stored.resolve("brand-new-model") == "openai/brand-new-model-20990101"  # undated
    assert stored.resolve("Shiny_Alias") == "openai/brand-new-model-20990101"
    with pytest.raises(UnknownModelError) as info:
        stored.resolve("brand-nwe-model-20990101")
    assert info.value.suggestions[0] == "openai/brand-new-model-20990101"


def test_a_replaced_name_is_no_longer_found(tmp_path) -> None:
    in_memory, stored = _pair(tmp_path)
    alias, target = next((a, t) for a, t in stored.aliases().items() if stored.has_id(t))
    record = dict(stored.record(target))
    record["aliases"] = [a for a in record.get("aliases", ()) if a != alias]
    for reg in (in_memory, stored):
        reg.add_model(dict(record))
    assert stored.alias_target(alias) is None
    # The stored index still lists the alias; the answers are those of an index built afresh.
    for query in (alias, alias.upper(), alias + "q"):
        assert _answer(stored, query) == _answer(in_memory, query)


def test_a_scan_only_model_is_suggested_but_not_forgiven(tmp_path) -> None:
    _, stored = _pair(tmp_path)
    stored.add_scanned_model({"id": "openai/scanned-only-7", "provider": "openai", "name": "S", "status": "active",
                              "mode": "chat", "origin": "scan"}, by_short_id=True)
    assert stored.resolve("scanned-only-7") == "openai/scanned-only-7"
    with pytest.raises(UnknownModelError) as info:
        stored.resolve("SCANNED-ONLY-7")  # a forgiving form never names a model only a scan knows
    assert "openai/scanned-only-7" in info.value.suggestions


def test_nearest_skips_a_common_piece_once_rarer_ones_found_names() -> None:
    keys = [f"model-{i}" for i in range(3000)] + ["zebra-model"]
    index = Spellings([f"p/{k}" for k in keys], [])
    names, _, pieces = index.suggestion_index()
    read: list[str] = []

    def bucket(piece: str) -> list[int]:
        read.append(piece)
        return pieces[piece]

    counts = {p: len(pieces[p]) for p in trigrams("zebra-modle") if p in pieces}
    found = nearest("zebra-modle", counts, bucket, lambda i: len(names[i]))
    assert names[found[0]] == "zebra-model"
    assert "mod" not in read  # held by every name: never read once `zeb` found candidates
