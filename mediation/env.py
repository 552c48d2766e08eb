"""Small typed readers for configuration from environment variables.

Settings read every value through these helpers, so that a missing or malformed value in
production mode fails with one line that names the variable.
"""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured


class MissingSetting(ImproperlyConfigured):
    """A variable that production mode needs is not set (or is malformed)."""


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    """Return variable `name`, or `default` when it is unset."""
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    """Return variable `name` read as a boolean (1/0, true/false, yes/no, on/off)."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise MissingSetting(f"{name} must be true or false, not {raw!r}.")


def env_int(name: str, default: int) -> int:
    """Return variable `name` read as an integer."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise MissingSetting(f"{name} must be a whole number, not {raw!r}.") from None


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    """Return variable `name` read as a comma-separated list, without blanks."""
    raw = os.environ.get(name)
    if raw is None:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_secret(name: str, *, required: bool, default: str = "") -> str:
    """Return secret `name` from the variable itself or from the file named by `NAME_FILE`.

    The `_FILE` form lets container platforms mount secrets as files. When `required` is true
    and neither is set, raise `MissingSetting` naming the variable.
    """
    value = os.environ.get(name, "")
    file_name = os.environ.get(f"{name}_FILE", "")
    if not value and file_name:
        try:
            value = Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise MissingSetting(
                f"{name}_FILE points to {file_name!r}, which cannot be read ({exc.strerror})."
            ) from None
    if value:
        return value
    if required:
        raise MissingSetting(
            f"{name} is not set: production mode (TAFEL_ENV=production) needs it "
            f"(or {name}_FILE naming a file that holds it)."
        )
    return default


def cache_from_url(url: str) -> dict[str, object]:
    """Return Django's cache setting for `url` (TAFEL_CACHE_URL).

    `locmem://` (one process only), `db://table` (Django's database cache, shared by every
    process; `manage.py createcachetable` makes the table), `redis://…` or `rediss://…`
    (Django's Redis cache; needs the `redis` package). No "dummy" cache: the rate limits and
    the audit trail's throttle need one that keeps counts.
    """
    scheme, _sep, rest = url.partition("://")
    if scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": rest}
    if scheme == "db" and rest:
        return {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": rest}
    if scheme in {"redis", "rediss"}:
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    raise MissingSetting(
        f"TAFEL_CACHE_URL must start with locmem://, db://<table>, redis:// or rediss://, "
        f"not {url.split('@')[-1]!r}."
    )
