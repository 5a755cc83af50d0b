"""outputs.py: atomic file writes and whole-directory replacement, refusing what they must not touch."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kabot_models.outputs import MARKER, OutputError, new_dir_beside, replace_dir, write_text_atomic


def build(target: Path, text: str) -> Path:
    built = new_dir_beside(target)
    (built / "index.html").write_text(text)
    return built


def test_a_site_replaces_the_one_written_before(tmp_path: Path) -> None:
    target = tmp_path / "site"
    replace_dir(build(target, "one"), target)
    assert (target / MARKER).is_file() and (target / "index.html").read_text() == "one"
    replace_dir(build(target, "two"), target)
    assert (target / "index.html").read_text() == "two"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # nothing left beside it
    assert oct(os.stat(target).st_mode & 0o777) != oct(0o700)  # readable by others, as any site


def test_an_empty_directory_is_taken(tmp_path: Path) -> None:
    target = tmp_path / "site"
    target.mkdir()
    replace_dir(build(target, "x"), target)
    assert (target / "index.html").read_text() == "x"


@pytest.mark.parametrize("kind", ["foreign-dir", "file", "symlink"])
def test_anything_else_is_refused_and_left_alone(tmp_path: Path, kind: str) -> None:
    target = tmp_path / "site"
    if kind == "foreign-dir":
        target.mkdir()
        (target / "thesis.tex").write_text("years of work")
    elif kind == "file":
        target.write_text("a file")
    else:
        (tmp_path / "elsewhere").mkdir()
        target.symlink_to(tmp_path / "elsewhere")
    built = build(target, "x")
    with pytest.raises(OutputError):
        replace_dir(built, target)
    assert not built.exists()
    if kind == "foreign-dir":
        assert (target / "thesis.tex").read_text() == "years of work"


def test_write_text_atomic_keeps_the_mode_of_the_file_it_replaces(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    target.write_text("old")
    os.chmod(target, 0o640)
    write_text_atomic(target, "new")
    assert target.read_text() == "new" and os.stat(target).st_mode & 0o777 == 0o640
