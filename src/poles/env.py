"""Small typed readers of the environment, used by settings (no Django import here)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[2]
VAR_DIR = Path(os.environ.get("POLES_VAR_DIR", PROJECT_DIR / "var"))


def env_str(name: str, default: str) -> str:
    """The variable's value, or the default when unset or empty."""
    value = os.environ.get(name, "")
    return value if value else default


def env_bool(name: str, default: bool = False) -> bool:
    """True for 1/true/yes/on (any case), False for 0/false/no/off, else the default."""
    value = os.environ.get(name, "").strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    return default


def env_int(name: str, default: int) -> int:
    """An integer (underscores allowed: 10_000_000), or the default when unset or empty."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ValueError(f"{name} must be a whole number, not {value!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    """A comma-separated list, stripped of blanks."""
    value = os.environ.get(name, "")
    items = [item.strip() for item in value.split(",") if item.strip()]
    return items or default


def secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once into var/secret_key."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


def node_modules() -> Path:
    """Where `make` installed the npm reference data and assets."""
    return Path(os.environ.get("POLES_NODE_MODULES", PROJECT_DIR / "node_modules"))
