"""One list of settings, checked at start, and the operators' guide lists exactly those.

bot/settings.py is the only module that reads the environment; docs/operators.md, "Settings",
has a row for each of its variables with the same default; a wrong value stops a process with a
line naming the variable, in both runtimes.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bot import settings
from bot.settings import PROJECT_ROOT, Settings

OPERATORS = PROJECT_ROOT / "docs" / "operators.md"
ROW = re.compile(r"^\| `([A-Z0-9_]+)` \| ([^|]*) \|", re.M)
# Reading the environment: os.environ.get(…), os.environ[…], os.getenv(…).
READS_ENVIRONMENT = re.compile(r"environ\.get\(|environ\[[^\]]*\](?!\s*=[^=])|getenv\(")  # not a write
WEB_PYTHON = PROJECT_ROOT / ".venv-web" / "bin" / "python"


def _documented() -> dict[str, str]:
    text = OPERATORS.read_text(encoding="utf-8")
    table = text[text.index("## Settings") : text.index("Set by Hälsolotsen itself")]
    return {name: cell.strip() for name, cell in ROW.findall(table)}


def _shown(default: object) -> str | None:
    """How the guide writes a default: a path relative to the checkout with a slash; None: in words."""
    if default is None or default == "":
        return None
    if isinstance(default, bool):
        return f"`{str(default).lower()}`"
    if isinstance(default, Path):
        return f"`{default.relative_to(PROJECT_ROOT)}/`"
    return f"`{default}`"


def test_the_operators_guide_lists_every_setting_with_its_default() -> None:
    documented = _documented()
    fields = Settings.__fields__
    assert sorted(documented) == sorted(settings.variable(name) for name in fields)
    for name, field in fields.items():
        shown = _shown(field.default)
        cell = documented[settings.variable(name)]
        assert cell == shown if shown else cell.startswith(("unset", "`")), name


def test_only_the_settings_module_reads_the_environment() -> None:
    """A variable read anywhere else would be unchecked and missing from the guide."""
    readers = [
        str(path.relative_to(PROJECT_ROOT))
        for folder in ("bot", "actions")
        for path in (PROJECT_ROOT / folder).rglob("*.py")
        if path.name != "settings.py" and READS_ENVIRONMENT.search(path.read_text(encoding="utf-8"))
    ]
    assert readers == []


@pytest.mark.parametrize("python", [Path(sys.executable), WEB_PYTHON], ids=["rasa-runtime", "web-runtime"])
def test_a_wrong_value_stops_the_start_with_a_line_naming_the_variable(python: Path) -> None:
    environment = {
        **os.environ,
        "HALSOLOTSEN_WEB_PORT": "80a",
        "HALSOLOTSEN_INSIGHTS_RETENTION_DAYS": "-1",
        "HALSOLOTSEN_SENDER_KEY": "do-not-print",
        "TELEGRAM_WEBHOOK_URL": "not a url",
    }
    started = subprocess.run(
        [str(python), "-m", "bot", "web"],
        cwd=PROJECT_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert started.returncode == 1
    assert "Traceback" not in started.stderr
    lines = started.stderr.strip().splitlines()
    assert lines[0].startswith("Hälsolotsen cannot start: 4 setting(s) wrong")
    assert "  HALSOLOTSEN_WEB_PORT='80a': value is not a valid integer" in lines
    assert "  HALSOLOTSEN_INSIGHTS_RETENTION_DAYS='-1': ensure this value is greater than or equal to 0" in lines
    assert any(line.startswith("  TELEGRAM_WEBHOOK_URL='not a url': ") for line in lines)
    assert "  HALSOLOTSEN_SENDER_KEY: ensure this value has at least 16 characters" in lines  # the value never shown
    assert "do-not-print" not in started.stderr


def test_an_empty_value_means_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    """Compose passes a variable left out of deploy/.env as "" (`${X:-}`)."""
    monkeypatch.setenv("TELEGRAM_COORDINATOR_CHAT_ID", "")
    monkeypatch.setenv("HALSOLOTSEN_WEB_PORT", " ")
    monkeypatch.setenv("HALSOLOTSEN_VAR", "/srv/halsolotsen")
    loaded = settings.load()
    assert loaded.TELEGRAM_COORDINATOR_CHAT_ID is None
    assert loaded.WEB_PORT == 8080
    assert loaded.PUBLIC_URL == "http://localhost:8080"
    assert loaded.DATABASE_URL == "sqlite:////srv/halsolotsen/halsolotsen.db"
