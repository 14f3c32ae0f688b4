"""Catalog settings, from the environment with safe defaults."""

from __future__ import annotations

import ipaddress
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.engine import make_url

from ..diagnostics import PressroomError
from ..options import PROJECT_ROOT, path_setting

VAR_DIR = PROJECT_ROOT / "var"
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def private_dir(path: Path) -> Path:
    """``path`` made if missing, open to its owner only (0700)."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.chmod(0o700)
    return path


def _secret_key(var_dir: Path) -> str:
    """PRESSROOM_SECRET_KEY, or a key kept in var/ (0600) so sessions survive restarts."""
    if key := os.environ.get("PRESSROOM_SECRET_KEY"):
        return key
    path = private_dir(var_dir) / "secret_key"
    if not path.is_file():
        descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        with os.fdopen(descriptor, "w") as file:
            file.write(secrets.token_urlsafe(48))
    path.chmod(0o600)
    return path.read_text().strip()


def parse_proxies(text: str) -> tuple[Network, ...]:
    """"127.0.0.1, 10.0.0.0/8" as networks; a bad entry is an error naming it."""
    networks = []
    for entry in filter(None, (part.strip() for part in text.split(","))):
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            raise PressroomError(f"PRESSROOM_TRUSTED_PROXIES: '{entry}' is not an IP address or network") from None
    return tuple(networks)


def _port(text: str) -> int:
    if not text.isascii() or not text.isdigit() or not 0 < int(text) < 65536:
        raise PressroomError(f"PRESSROOM_SMTP_PORT: '{text}' is not a port number (1 to 65535)")
    return int(text)


@dataclass(frozen=True)
class CatalogSettings:
    database_url: str
    output_dir: Path
    secret_key: str
    public_order_limit: int = 20  # copies per order for the public
    order_rate_limit: int = 10  # orders per client address per window; 0 turns it off
    order_rate_window_s: int = 600
    lookup_rate_limit: int = 20  # order look-ups (number + email) per client address per window
    trusted_proxies: tuple[Network, ...] = ()  # networks whose X-Forwarded-For is believed (PRESSROOM_TRUSTED_PROXIES)
    low_stock_threshold: int = 100
    new_days: int = 120  # "new and updated": reviewed within this many days
    secure_cookies: bool = False  # set behind HTTPS
    staff_idle_s: int = 30 * 60  # a staff session ends after this long unused
    staff_absolute_s: int = 12 * 3600  # and this long after signing in, whatever happens
    print_worker: bool = True  # build queued print runs in a thread of this process (PRESSROOM_PRINT_WORKER=0: not)
    smtp_host: str = ""  # send e-mail through this SMTP server (PRESSROOM_SMTP_HOST); else into outbox_dir
    smtp_port: int = 25
    mail_from: str = "publications@localhost"
    outbox_dir: Path | None = None  # .eml files when there is no SMTP server; None: messages wait in the database
    sources_dir: Path = field(default=PROJECT_ROOT / "sources")
    layouts_dir: Path = field(default=PROJECT_ROOT / "layouts")

    @classmethod
    def from_env(cls, **overrides) -> "CatalogSettings":
        env = os.environ
        var_dir = Path(env.get("PRESSROOM_VAR", VAR_DIR))
        values = dict(
            database_url=env.get("DATABASE_URL") or f"sqlite:///{var_dir / 'pressroom.db'}",
            output_dir=path_setting("output_dir"),
            sources_dir=path_setting("sources_dir"),
            layouts_dir=path_setting("layouts_dir"),
            secret_key=overrides.pop("secret_key", None) or _secret_key(var_dir),
            public_order_limit=int(env.get("PRESSROOM_PUBLIC_ORDER_LIMIT", 20)),
            order_rate_limit=int(env.get("PRESSROOM_ORDER_RATE_LIMIT", 10)),
            low_stock_threshold=int(env.get("PRESSROOM_LOW_STOCK", 100)),
            secure_cookies=env.get("PRESSROOM_SECURE_COOKIES", "") == "1",
            trusted_proxies=parse_proxies(env.get("PRESSROOM_TRUSTED_PROXIES", "")),
            print_worker=env.get("PRESSROOM_PRINT_WORKER", "1") != "0",
            smtp_host=env.get("PRESSROOM_SMTP_HOST", ""),
            smtp_port=_port(env.get("PRESSROOM_SMTP_PORT", "25")),
            mail_from=env.get("PRESSROOM_MAIL_FROM", "publications@localhost"),
            outbox_dir=var_dir / "outbox",
        )
        values.update(overrides)
        private_dir(var_dir)
        url = make_url(values["database_url"])
        if url.get_backend_name() == "sqlite" and url.database:
            Path(url.database).parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        return cls(**values)
