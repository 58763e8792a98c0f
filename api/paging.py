"""Headers of every list route: paging, ``X-Total-Count`` and RFC 8288 ``Link`` (``first``,
``prev``, ``next``, ``last``), built on the configured public address (``public_url``), never on
the request's ``Host``.

``truncation_headers(truncated, row_cap)`` says a list the row cap cut is incomplete, as
``/sparql`` does (``X-Result-Truncated``, ``X-Result-Cap``).

``paging_headers(request, base_url, total, page, per_page)`` takes the request (its path and query
parameters are kept, ``page`` is replaced), the list's total and the page shown, and gives the
headers. A list that is not paged (``per_page=None``) is one page: ``first`` and ``last`` are the
request's own address, which takes no ``page`` parameter.
"""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import Request, Response


def paging_headers(
    request: Request, base_url: str, total: int, page: int = 1, per_page: int | None = None
) -> dict[str, str]:
    """``X-Total-Count`` and ``Link`` for one page of a list of ``total`` items."""
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "page"]
    address = f"{base_url}{request.url.path}"
    if per_page is None:
        here = f"{address}?{urlencode(params)}" if params else address
        links = f'<{here}>; rel="first", <{here}>; rel="last"'
        return {"X-Total-Count": str(total), "Link": links}
    last = max(1, -(-total // per_page))
    pages = {"first": 1}
    if page > 1:
        pages["prev"] = min(page - 1, last)
    if page < last:
        pages["next"] = page + 1
    pages["last"] = last
    links = ", ".join(
        f'<{address}?{urlencode([*params, ("page", str(number))])}>; rel="{rel}"'
        for rel, number in pages.items()
    )
    return {"X-Total-Count": str(total), "Link": links}


def add_paging_headers(
    response: Response,
    request: Request,
    base_url: str,
    total: int,
    page: int = 1,
    per_page: int | None = None,
) -> None:
    """The paging headers set on the ``Response`` FastAPI merges into a route's answer (the body
    stays the one the route's model gives)."""
    response.headers.update(paging_headers(request, base_url, total, page, per_page))


def truncation_headers(truncated: bool, row_cap: int) -> dict[str, str]:
    """``X-Result-Truncated`` and ``X-Result-Cap`` when the row cap cut the list, else none."""
    if not truncated:
        return {}
    return {"X-Result-Truncated": "true", "X-Result-Cap": str(row_cap)}
