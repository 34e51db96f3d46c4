"""Looking for a secret everywhere an exception can carry it: str, repr, args, attributes, chain."""

from __future__ import annotations

# A key distinctive enough that finding it anywhere is proof of a leak.
SECRET_KEY = "SUPERSECRET-4242"


def exception_leaks(exc: BaseException, secret: str) -> list[str]:
    """Where ``secret`` shows up in ``exc`` or any exception chained to it (empty list: nowhere)."""
    found = []
    seen: set[int] = set()
    current: BaseException | None = exc
    queue = [exc]
    while queue:
        current = queue.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        name = type(current).__name__
        for label, text in (
            ("str", str(current)),
            ("repr", repr(current)),
            ("args", repr(current.args)),
            ("attributes", repr(vars(current)) if hasattr(current, "__dict__") else ""),
        ):
            if secret in text:
                found.append(f"{name}.{label}")
        queue.extend([current.__cause__, current.__context__])
    return found
