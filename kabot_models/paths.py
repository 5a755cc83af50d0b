"""Where the tool keeps what it writes: one directory, moved as a whole by `$KABOT_MODELS_HOME`.

Without the variable, the config (and credentials) go to the platform's user config dir and the
database to its user data dir (platformdirs' rules), as users of each platform expect.

The `*_str` functions give the same locations as text, for the `os`-level code of the load path
(snapshot cache, user-config cache, scan database).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ENV_HOME = "KABOT_MODELS_HOME"
APP_NAME = "kabot-models"


def _xdg(variable: str, fallback: str) -> str:
    # The XDG rules platformdirs applies on Linux, written out: importing platformdirs costs about
    # half a bare interpreter start.
    base = os.environ.get(variable, "").strip()
    return os.path.join(base if os.path.isabs(base) else os.path.expanduser(fallback), APP_NAME)


def _dir(xdg_variable: str, xdg_fallback: str, platformdirs_function: str) -> str:
    home = os.environ.get(ENV_HOME)
    if home:
        return os.path.expanduser(home)
    if sys.platform.startswith("linux"):
        return _xdg(xdg_variable, xdg_fallback)
    import platformdirs

    return getattr(platformdirs, platformdirs_function)(APP_NAME, appauthor=False)


def config_dir_str() -> str:
    """Directory of `config.yaml` and `credentials.yaml`, as a string."""
    return _dir("XDG_CONFIG_HOME", "~/.config", "user_config_dir")


def data_dir_str() -> str:
    """Directory of `models.db` (scan results) and cached snapshots, as a string."""
    return _dir("XDG_DATA_HOME", "~/.local/share", "user_data_dir")


def config_path_str() -> str:
    """The user's config file, as a string."""
    return os.path.join(config_dir_str(), "config.yaml")


def db_path_str() -> str:
    """The scan database, as a string."""
    return os.path.join(data_dir_str(), "models.db")


def config_dir() -> Path:
    """Directory of `config.yaml` and `credentials.yaml`."""
    return Path(config_dir_str())


def data_dir() -> Path:
    """Directory of `models.db` (scan results) and cached snapshots."""
    return Path(data_dir_str())


def config_path() -> Path:
    """The user's config file."""
    return Path(config_path_str())


def credentials_path() -> Path:
    """The credentials file (mode 0600), kept apart from the config so the config can be shared."""
    return config_dir() / "credentials.yaml"


def db_path() -> Path:
    """The scan database."""
    return Path(db_path_str())
