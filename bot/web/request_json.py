"""A request's JSON body on the project's web server, or None when it is anything else.

aiohttp's `request.json()` raises ValueError for broken JSON and bad UTF-8, but LookupError for
an unknown charset in the Content-Type (`charset=nonsense`) and RecursionError for arrays nested
a few thousand deep; the hostile-input run found each of those as a 500. Every route that reads
JSON asks here, so every body that is not JSON is the route's own 400.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web


async def json_or_none(request: web.Request) -> Any:
    """The parsed body; None if it is not JSON. A body over the size limit still raises 413."""
    try:
        return await request.json()
    except (ValueError, LookupError, RecursionError):
        return None
