"""The user config: reading (with one-line errors that say where), round-trip writing, its JSON Schema."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kabot_models.config import load_config, remove_alias, set_alias
from kabot_models.errors import ConfigError
from kabot_models.schema import config_json_schema
from kabot_models.loader import load_registry

FIXTURE = Path(__file__).parent / "fixtures" / "resolver"


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("KABOT_MODELS_HOME", str(tmp_path))
    return tmp_path


def write(home: Path, text: str) -> Path:
    path = home / "config.yaml"
    path.write_text(text, encoding="utf-8")
    return path


GOOD = """\
# my settings
default_model: sonnet
aliases:
  fast: gpt4m      # the cheap one
  big: opus
providers:
  openai:
    api_base: https://proxy.example/v1
    key_env: WORK_OPENAI_KEY
    headers: {X-Team: research}
"""


def test_missing_config_is_empty(home: Path) -> None:
    assert load_config() == {"aliases": {}, "providers": {}}


def test_empty_config_is_empty(home: Path) -> None:
    write(home, "# nothing yet\n")
    assert load_config() == {"aliases": {}, "providers": {}}


def test_reads_a_good_config(home: Path) -> None:
    write(home, GOOD)
    cfg = load_config()
    assert cfg["default_model"] == "sonnet"
    assert cfg["aliases"] == {"fast": "gpt4m", "big": "opus"}
    assert cfg["providers"]["openai"] == {
        "api_base": "https://proxy.example/v1", "key_env": "WORK_OPENAI_KEY", "headers": {"X-Team": "research"}
    }


def test_registry_resolves_with_the_users_config(home: Path) -> None:
    write(home, GOOD)
    reg = load_registry(FIXTURE)
    assert reg.resolve("fast") == "openai/gpt-4o-mini"
    assert reg.explain("big").rule == "user alias"


BROKEN = [
    # (file text, where the error points, what it says)
    ("aliases: [unclosed\n", "config.yaml:2:1", "invalid YAML"),
    ("aliases:\n\tfast: gpt4\n", "config.yaml:2:1", "invalid YAML"),
    ("- just\n- a list\n", "config.yaml:1:1", "must be a mapping"),
    ("aliases: gpt4\n", "config.yaml:1:10", "aliases: Input should be a valid dictionary"),
    ("aliases:\n  fast: 5\n", "config.yaml:2:9", "aliases.fast: Input should be a valid string"),
    ("providers:\n  openai:\n    api_base: 42\n", "config.yaml:3:15", "providers.openai.api_base: Input should be a valid string"),
    ("providers:\n  openai:\n    api_base: ftp://x\n", "config.yaml:3:15", "should match pattern"),
    ("providers:\n  openai:\n    key_env: 'not a var'\n", "config.yaml:3:14", "should match pattern"),
    ("aliasses:\n  fast: gpt4\n", "config.yaml:1:1", "aliasses: Extra inputs are not permitted"),
    ("aliases:\n  Fast/One: gpt4\n", "config.yaml:2:3", "invalid alias name 'Fast/One'"),
    ("aliases:\n  fast: \"gpt\\x004\"\n", "config.yaml:2:9", "control character"),
    ("aliases:\n  fast: gpt4\n  fast: opus\n", "config.yaml:3:3", "duplicate key 'fast'"),
    ("default_model: ''\n", "config.yaml:1:16", "default_model: String should have at least 1 character"),
]


@pytest.mark.parametrize(("text", "where", "message"), BROKEN)
def test_broken_config_is_one_line_naming_the_place(home: Path, text: str, where: str, message: str) -> None:
    write(home, text)
    with pytest.raises(ConfigError) as info:
        load_config()
    error = str(info.value)
    assert "\n" not in error
    assert error.startswith(f"{home}/{where}: "), error
    assert message in error


def test_broken_config_fails_resolution_with_config_error(home: Path) -> None:
    write(home, "aliases: [\n")
    reg = load_registry(FIXTURE)
    with pytest.raises(ConfigError):
        reg.resolve("gpt4")


def test_not_utf8(home: Path) -> None:
    (home / "config.yaml").write_bytes(b"aliases:\n  fast: \xff\n")
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_config()


def test_writing_keeps_comments_and_order(home: Path) -> None:
    path = write(home, GOOD)
    set_alias("tiny", "openai/gpt-4o-mini")
    set_alias("fast", "openai/gpt-4o")
    text = path.read_text()
    assert text.startswith("# my settings\ndefault_model: sonnet\n")
    assert any(line.startswith("  fast: openai/gpt-4o ") and line.endswith("# the cheap one") for line in text.splitlines())
    assert text.index("fast:") < text.index("big:") < text.index("tiny:") < text.index("providers:")
    assert "headers: {X-Team: research}" in text
    assert load_config()["aliases"] == {"fast": "openai/gpt-4o", "big": "opus", "tiny": "openai/gpt-4o-mini"}
    remove_alias("big")
    assert "big" not in load_config()["aliases"]
    assert "# the cheap one" in path.read_text()


def test_writing_a_new_config(home: Path) -> None:
    set_alias("fast", "openai/gpt-4o-mini")
    text = (home / "config.yaml").read_text()
    assert text.splitlines()[0].startswith("# yaml-language-server: $schema=")
    assert load_config()["aliases"] == {"fast": "openai/gpt-4o-mini"}
    assert [p.name for p in home.iterdir()] == ["config.yaml"]  # no temp file left behind


def test_a_broken_config_is_not_overwritten(home: Path) -> None:
    path = write(home, "aliases: [\n# keep me\n")
    with pytest.raises(ConfigError):
        set_alias("fast", "openai/gpt-4o-mini")
    assert path.read_text() == "aliases: [\n# keep me\n"


def test_an_invalid_change_is_not_written(home: Path) -> None:
    path = write(home, GOOD)
    with pytest.raises(ConfigError, match="invalid alias name"):
        set_alias("Bad/Name", "openai/gpt-4o")
    assert path.read_text() == GOOD
    assert sorted(p.name for p in home.iterdir()) == ["config.yaml"]


@pytest.mark.parametrize(
    ("doc", "valid"),
    [
        ({"aliases": {"fast": "gpt4m"}, "providers": {"openai": {"key_env": "K"}}}, True),
        ({"aliases": {"Fast": "gpt4m"}}, False),
        ({"aliases": {"fast": ""}}, False),
        ({"providers": {"openai": {"api_key": "sk-..."}}}, False),
        ({"colour": "red"}, False),
    ],
)
def test_schema_agrees_with_the_loader(home: Path, doc: dict, valid: bool) -> None:
    from jsonschema import Draft202012Validator

    schema_ok = Draft202012Validator(config_json_schema()).is_valid(doc)
    write(home, json.dumps(doc))
    try:
        load_config()
        loader_ok = True
    except ConfigError:
        loader_ok = False
    assert schema_ok == loader_ok == valid


def test_config_is_read_without_yaml_or_pydantic_once_cached(home: Path) -> None:
    """After one validated read, a fresh process takes the config from the JSON cache."""
    import subprocess
    import sys

    write(home, GOOD)
    code = (
        "import sys; from kabot_models.config import read_user_config; cfg = read_user_config(); "
        "print(cfg['aliases']['fast'], 'pydantic' in sys.modules, 'yaml' in sys.modules)"
    )
    env = {"KABOT_MODELS_HOME": str(home), "PATH": "/usr/bin:/bin"}
    first = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert first.stdout.split() == ["gpt4m", "True", "True"]
    second = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert second.stdout.split() == ["gpt4m", "False", "False"]
    set_alias("fast", "openai/gpt-4o")  # a change to the file is seen at once
    third = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert third.stdout.split() == ["openai/gpt-4o", "True", "True"]


def test_a_config_broken_after_caching_is_reported(home: Path) -> None:
    from kabot_models.config import read_user_config

    path = write(home, GOOD)
    assert read_user_config()["aliases"]["big"] == "opus"
    path.write_text("aliases: [\n")
    with pytest.raises(ConfigError):
        read_user_config()


@pytest.mark.parametrize(
    ("env", "config", "data"),
    [
        ({}, "{home}/.config/kabot-models", "{home}/.local/share/kabot-models"),
        ({"XDG_CONFIG_HOME": "/x/cfg", "XDG_DATA_HOME": "/x/data"}, "/x/cfg/kabot-models", "/x/data/kabot-models"),
        ({"XDG_CONFIG_HOME": "relative", "XDG_DATA_HOME": " "}, "{home}/.config/kabot-models", "{home}/.local/share/kabot-models"),
    ],
)
def test_default_dirs_match_platformdirs(monkeypatch, tmp_path, env, config, data) -> None:
    """Without KABOT_MODELS_HOME the dirs follow the platform's rules, exactly as platformdirs gives them."""
    import sys

    import platformdirs

    from kabot_models import paths

    if not sys.platform.startswith("linux"):
        pytest.skip("the hand-written rules are Linux's XDG ones")
    monkeypatch.delenv("KABOT_MODELS_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME"):
        monkeypatch.delenv(var, raising=False)
    for var, value in env.items():
        monkeypatch.setenv(var, value)
    assert str(paths.config_dir()) == config.format(home=tmp_path)
    assert str(paths.data_dir()) == data.format(home=tmp_path)
    assert str(paths.config_dir()) == platformdirs.user_config_dir("kabot-models", appauthor=False)
    assert str(paths.data_dir()) == platformdirs.user_data_dir("kabot-models", appauthor=False)


def test_an_unwritable_home_is_one_line_error(tmp_path, monkeypatch) -> None:
    """KABOT_MODELS_HOME pointing at a file: `alias add` says so in one line, no traceback."""
    import subprocess
    import sys
    from pathlib import Path as P

    not_a_dir = tmp_path / "file"
    not_a_dir.write_text("x")
    exe = P(sys.executable).parent / "kabot-models"
    env = {**__import__("os").environ, "KABOT_MODELS_HOME": str(not_a_dir)}
    res = subprocess.run([str(exe), "alias", "add", "fast", "openai/gpt-4o"], capture_output=True, text=True, env=env, timeout=120)
    assert res.returncode == 1
    assert "cannot write the config" in res.stderr and str(not_a_dir) in res.stderr
    assert "Traceback" not in res.stderr


@pytest.mark.parametrize("text", ["aliases: {fast: !!float gpt}\n", "aliases:\n  null: openai/gpt-4o\n"])
def test_tagged_values_and_non_text_keys_are_config_errors(tmp_path, text: str) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=str(path)):
        load_config(path)


def test_store_key_into_an_unwritable_place_names_the_file_not_the_key(tmp_path) -> None:
    from kabot_models.credentials import store_key
    from kabot_models.errors import CredentialsError

    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(CredentialsError, match="cannot (read|write) (the )?credentials file") as info:
        store_key("openai", "sk-SECRETSECRETSECRET", blocker / "credentials.yaml")
    assert "SECRET" not in str(info.value)
