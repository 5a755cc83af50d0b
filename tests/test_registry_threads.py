"""One registry shared by threads: readers resolving, getting and listing while another thread
registers models (Kabot registers scanned models while its agent resolves) never see an exception,
and every answer is one the registry gave before or after a change, never a mix."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import pytest

from fixture_catalog import write_catalog
from kabot_models.errors import UnknownModelError
from kabot_models.loader import load_registry
from kabot_models.schema import ModelMetadata

READERS = 16
REGISTERED = 1500


@pytest.fixture(params=["compiled", "snapshot"])
def registry(request, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201
    catalog = write_catalog(tmp_path / "catalog")
    monkeypatch.setenv("KABOT_MODELS_HOME", str(tmp_path / "home"))
    first = load_registry(catalog, db=False)  # compiles, and caches the snapshot
    reg = first if request.param == "compiled" else load_registry(catalog, db=False)
    reg.use_user_config({})
    return reg


def test_readers_never_see_an_exception_while_a_thread_registers(registry) -> None:
    errors: list[BaseException] = []
    wrong: list[str] = []
    done = threading.Event()
    base_count = len(registry.list_models())

    def reader(n: int) -> None:
        i = 0
        try:
            while not done.is_set():
                i += 1
                if registry.resolve("large") != "acme/acme-large" or registry.resolve("acme-small") != "acme/acme-small":
                    wrong.append("catalog name moved")
                if registry.get("small").id != "acme/acme-small":
                    wrong.append("get moved")
                if registry.resolve("ACME-Small") != "acme/acme-small":  # a forgiving form: builds the index
                    wrong.append("forgiving form moved")
                try:
                    registry.resolve(f"no-such-model-{n}-{i}")  # a miss: suggestions read every name
                except UnknownModelError:
                    pass
                count = len(registry.list_models())
                if not base_count <= count <= base_count + REGISTERED:
                    wrong.append(f"list of {count}")
                m = (n * 97 + i) % REGISTERED
                try:
                    got = registry.resolve(f"gen-{m}")  # either not registered yet, or exactly it
                    if got != f"acme/gen-{m}":
                        wrong.append(f"gen-{m} -> {got}")
                except UnknownModelError:
                    pass
                registry.filter(provider="acme", capability="tool_use")
                list(registry.ids())
                registry.get_providers()
        except BaseException as exc:  # noqa: BLE001 - any exception is the failure under test
            errors.append(exc)

    def writer() -> None:
        try:
            for m in range(REGISTERED):
                registry.register(ModelMetadata(id=f"acme/gen-{m}", name=f"Gen {m}", capabilities=["tool_use"]))
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible: the races show in a second
    try:
        threads = [threading.Thread(target=reader, args=(n,)) for n in range(READERS)]
        for t in threads:
            t.start()
        w = threading.Thread(target=writer)
        w.start()
        w.join(timeout=120)
        done.set()
        for t in threads:
            t.join(timeout=60)
    finally:
        sys.setswitchinterval(old)
    assert not w.is_alive() and not any(t.is_alive() for t in threads), "a thread hung"
    import traceback

    assert not errors, f"{len(errors)} exceptions, first: " + "".join(traceback.format_exception(errors[0]))
    assert not wrong, wrong[:5]
    assert len(registry.list_models()) == base_count + REGISTERED
    assert all(registry.resolve(f"gen-{m}") == f"acme/gen-{m}" for m in range(REGISTERED))
    assert registry.resolve("Gen-7") == "acme/gen-7"  # the forgiving index knows what was registered


def test_threads_constructing_kabots_registry_at_once_share_one_loaded_instance(tmp_path: Path,
                                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Kabot's `ModelRegistry()` is one shared instance: threads asking for it at the same moment all
    get that one, loaded once and in full (none sees it half loaded, none loads a second)."""
    import kabot_models.catalog
    from kabot_models.kabot import ModelRegistry

    catalog = write_catalog(tmp_path / "catalog")
    monkeypatch.setenv("KABOT_MODELS_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(kabot_models.catalog, "packaged_catalog_dir", lambda: str(catalog))
    loads: list[int] = []
    real_load = ModelRegistry.load_catalog
    monkeypatch.setattr(ModelRegistry, "load_catalog", lambda self, d=None: loads.append(1) or real_load(self, d))
    ModelRegistry.reset_shared()
    start = threading.Barrier(8)
    got: list[tuple[int, int]] = []
    errors: list[BaseException] = []

    def construct() -> None:
        try:
            start.wait()
            reg = ModelRegistry()
            got.append((id(reg), len(reg)))
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    try:
        threads = [threading.Thread(target=construct) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        assert not errors, errors[:1]
        assert len({i for i, _ in got}) == 1 and len(got) == 8
        assert {n for _, n in got} == {len(ModelRegistry())} and len(ModelRegistry()) > 0
        assert loads == [1]
    finally:
        ModelRegistry.reset_shared()
