"""The web server's access log: one line a request with its method, route, status and time.

Only the route's pattern is written (`/koordinator/api/requests/{request_id}`, `/api/chat/inbox`),
never the path as sent, its query, the body or the address it came from: a path or query can carry
a sender id (`/api/chat/inbox?sender=…`) or a request number, a body what a participant wrote, and
an IP address is personal data. What is left tells an operator which part is slow or failing.
"""

from __future__ import annotations

import logging

from aiohttp import web
from aiohttp.abc import AbstractAccessLogger

logger = logging.getLogger("halsolotsen.access")
UNMATCHED = "(no route)"


def route_of(request: web.BaseRequest) -> str:
    """The pattern of the route that answered; static files by their folder's prefix."""
    match_info = getattr(request, "match_info", None)
    resource = match_info.route.resource if match_info is not None else None
    return resource.canonical if resource is not None else UNMATCHED


class RouteAccessLogger(AbstractAccessLogger):
    def log(self, request: web.BaseRequest, response: web.StreamResponse, time: float) -> None:
        fields = {
            "method": request.method,
            "route": route_of(request),
            "status": response.status,
            "duration_ms": round(time * 1000, 1),
        }
        self.logger.info("%(method)s %(route)s %(status)s %(duration_ms)s ms", fields, extra=fields)
