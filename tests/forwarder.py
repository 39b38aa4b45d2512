"""Forwards every request on a port to another address: `python -m tests.forwarder PORT TARGET`.

Lets a test bring "Rasa" up on an address where nothing answered before, without restarting Rasa.
"""

from __future__ import annotations

import sys

import httpx
from aiohttp import web


def main(port: int, target: str) -> None:
    client = httpx.AsyncClient(base_url=target, timeout=60)

    async def forward(request: web.Request) -> web.Response:
        upstream = await client.request(
            request.method,
            request.rel_url.human_repr(),
            content=await request.read(),
            headers={k: v for k, v in request.headers.items() if k.lower() in ("content-type", "authorization")},
        )
        return web.Response(
            body=upstream.content,
            status=upstream.status_code,
            content_type=upstream.headers.get("content-type", "application/json").split(";")[0],
        )

    app = web.Application()
    app.router.add_route("*", "/{path:.*}", forward)
    web.run_app(app, host="127.0.0.1", port=port, print=None, access_log=None)


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2])
