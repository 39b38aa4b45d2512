"""The hand-off database when several processes start together."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, event, inspect

from bot.handoff.models import Base
from bot.storage import database


def test_tables_made_by_another_process_meanwhile_are_no_error(tmp_path: Path) -> None:
    """Found by the hostile-input run: the first requests after start-up, at the same moment, were
    500s ("table coordinators already exists"). Here another process creates every table just
    after this one looked, the moment that race leaves."""
    url = f"sqlite:///{tmp_path / 'halsolotsen.db'}"
    other_process, raced = create_engine(url), []

    def create_meanwhile(*_: object, **__: object) -> None:
        if not raced:
            raced.append(True)
            Base.metadata.create_all(other_process)

    event.listen(Base.metadata, "before_create", create_meanwhile)
    try:
        engine = database.engine(url)
    finally:
        event.remove(Base.metadata, "before_create", create_meanwhile)
    assert raced
    assert set(inspect(engine).get_table_names()) == set(Base.metadata.tables)
