"""API keys the simulator accepts, with their roles.

A key is either an *admin* key (sees every tenant; may name one with
``tenant=``) or a *tenant* key (confined to its own tenant, which every request
must name). Either may be read-write (``rw``) or read-only (``ro``); a read-only
key used for a write gets the key-rejected text, as on the real API.

``DEMO_KEYS`` are fixed, public and documented so that demos and tests can
connect without configuration. ``load_keys(path)`` reads more from a YAML file::

    - {key: s3cret-admin, role: admin, access: rw}
    - {key: acme-viewer, role: tenant, tenant: ACME, access: ro}
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

ROLES = ("admin", "tenant")
ACCESS_LEVELS = ("rw", "ro")


@dataclass(frozen=True)
class ApiKey:
    """One accepted key: its secret, role (admin/tenant), tenant code (tenant role) and access (rw/ro)."""

    key: str
    role: str
    tenant: str | None = None
    access: str = "rw"

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def read_only(self) -> bool:
        return self.access == "ro"

    def describe(self) -> str:
        """The role in words, e.g. ``tenant DEVEL, read-only`` (never the key itself)."""
        who = "admin" if self.is_admin else f"tenant {self.tenant}"
        return f"{who}, {'read-only' if self.read_only else 'read-write'}"

    def __repr__(self) -> str:
        # The secret never appears in a repr, even for a simulator.
        return f"ApiKey(key='***', role={self.role!r}, tenant={self.tenant!r}, access={self.access!r})"


DEMO_KEYS: Mapping[str, ApiKey] = {
    k.key: k
    for k in (
        ApiKey("demo-admin", "admin", None, "rw"),
        ApiKey("demo-admin-ro", "admin", None, "ro"),
        ApiKey("demo-devel", "tenant", "DEVEL", "rw"),
        ApiKey("demo-devel-ro", "tenant", "DEVEL", "ro"),
        ApiKey("demo-acme", "tenant", "ACME", "rw"),
    )
}
"""The demo keys, by secret: admin rw/ro, tenant DEVEL rw/ro and tenant ACME rw."""


class KeyFileError(ValueError):
    """A keys file could not be read or holds an invalid entry; the message names file and entry."""


def load_keys(path: str | Path) -> dict[str, ApiKey]:
    """Read a YAML list of ``{key, role, tenant, access}`` entries into keys by secret."""
    import yaml  # only ``--keys`` needs YAML; keep importing the simulator cheap

    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise KeyFileError(f"{path}: cannot read keys file: {exc.strerror or exc}") from None
    except yaml.YAMLError as exc:
        raise KeyFileError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(data, list) or not data:
        raise KeyFileError(f"{path}: expected a non-empty list of {{key, role, tenant, access}} entries")
    keys: dict[str, ApiKey] = {}
    for number, entry in enumerate(data, start=1):
        key = _parse_entry(entry, f"{path}: entry {number}")
        if key.key in keys:
            raise KeyFileError(f"{path}: entry {number}: duplicate key (the same secret appears twice)")
        keys[key.key] = key
    return keys


def _parse_entry(entry: object, where: str) -> ApiKey:
    if not isinstance(entry, dict):
        raise KeyFileError(f"{where}: expected a mapping like {{key: ..., role: admin}}")
    unknown = set(entry) - {"key", "role", "tenant", "access"}
    if unknown:
        raise KeyFileError(f"{where}: unknown field(s) {', '.join(sorted(map(str, unknown)))}")
    secret = entry.get("key")
    if not isinstance(secret, str) or not secret.strip():
        raise KeyFileError(f"{where}: 'key' must be a non-empty string")
    role = entry.get("role")
    if role not in ROLES:
        raise KeyFileError(f"{where}: 'role' must be one of {', '.join(ROLES)} (got {role!r})")
    access = entry.get("access", "rw")
    if access not in ACCESS_LEVELS:
        raise KeyFileError(f"{where}: 'access' must be rw or ro (got {access!r})")
    tenant = entry.get("tenant")
    if role == "tenant":
        if not isinstance(tenant, str) or not tenant:
            raise KeyFileError(f"{where}: a tenant key needs 'tenant' (a tenant code such as DEVEL)")
    elif tenant is not None:
        raise KeyFileError(f"{where}: an admin key takes no 'tenant'")
    return ApiKey(secret, role, tenant, access)


def merge_keys(*groups: Mapping[str, ApiKey] | Iterable[ApiKey]) -> dict[str, ApiKey]:
    """Combine key groups (mappings by secret, or iterables of keys) into one mapping."""
    merged: dict[str, ApiKey] = {}
    for group in groups:
        for key in group.values() if isinstance(group, Mapping) else group:
            merged[key.key] = key
    return merged
