"""Headers every list answer shares: a list the row cap cut says so, as ``/sparql`` does."""

from __future__ import annotations


def truncation_headers(truncated: bool, row_cap: int) -> dict[str, str]:
    """``X-Result-Truncated`` and ``X-Result-Cap`` when the row cap cut the list, else none."""
    if not truncated:
        return {}
    return {"X-Result-Truncated": "true", "X-Result-Cap": str(row_cap)}
