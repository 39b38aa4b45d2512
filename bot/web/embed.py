"""The line a school pastes into its own page to show the chat.

A module of its own because `bot run` prints it from Rasa's venv, which lacks the web server's
own packages (cachetools, aiolimiter, segno): importing `bot.web.app` there fails.
"""

from __future__ import annotations


def embed_snippet(public_url: str) -> str:
    """The one line a school pastes into its own page to show the chat."""
    return (
        f'<iframe src="{public_url.rstrip("/")}/" title="Hälsolotsen" style="width:100%;height:80vh;border:0"></iframe>'
    )
