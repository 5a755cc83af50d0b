"""Where the tool keeps what it writes: one directory, moved as a whole by `$KABOT_MODELS_HOME`.

Without the variable, the config (and credentials) go to the platform's user config dir and the
database to its user data dir (platformdirs), as users of each platform expect.
"""

from __future__ import annotations

import os
from pathlib import Path

ENV_HOME = "KABOT_MODELS_HOME"
APP_NAME = "kabot-models"


def _home() -> Path | None:
    value = os.environ.get(ENV_HOME)
    return Path(value).expanduser() if value else None


def config_dir() -> Path:
    """Directory of `config.yaml` and `credentials.yaml`."""
    home = _home()
    if home is not None:
        return home
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP_NAME, appauthor=False))


def data_dir() -> Path:
    """Directory of `models.db` (scan results) and cached snapshots."""
    home = _home()
    if home is not None:
        return home
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


def config_path() -> Path:
    """The user's config file."""
    return config_dir() / "config.yaml"


def credentials_path() -> Path:
    """The credentials file (mode 0600), kept apart from the config so the config can be shared."""
    return config_dir() / "credentials.yaml"


def db_path() -> Path:
    """The scan database."""
    return data_dir() / "models.db"
