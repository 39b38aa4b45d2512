"""Shared fixtures: a small, valid content folder to break in controlled ways, and the real model,
servers and browser; a test that asks for those is marked by kind (markers in pyproject.toml)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
# The fixtures that make a test end-to-end or a browser test, so `-m "not e2e"` leaves it out.
KIND_OF_FIXTURE = {"trained_model": "e2e", "assistant": "e2e", "coordinators": "e2e", "browser": "browser"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        for kind in {KIND_OF_FIXTURE[name] for name in getattr(item, "fixturenames", ()) if name in KIND_OF_FIXTURE}:
            item.add_marker(kind)


@pytest.fixture
def content_dir(tmp_path: Path) -> Path:
    """A writable copy of the fixture content; tests edit it to make it broken."""
    target = tmp_path / "content"
    shutil.copytree(FIXTURES / "content", target)
    return target


@pytest.fixture(scope="session")
def trained_model() -> Path:
    """The real model, trained from the project's own data (reused if the data is unchanged)."""
    from bot.content.store import load
    from bot.rasa import training
    from bot.settings import CONTENT_DIR

    return training.train(load(CONTENT_DIR))


@pytest.fixture(scope="session")
def assistant(trained_model: Path, tmp_path_factory: pytest.TempPathFactory):
    """Web, Rasa and action servers on free ports, serving a copy of content/ that tests may edit,
    with its audio made by the offline engine."""
    from tests.assistant import running_assistant

    with running_assistant(trained_model, tmp_path_factory.mktemp("assistant")) as running:
        yield running


@pytest.fixture(scope="module")
def coordinators(assistant) -> dict[str, str]:
    """A coordinator in Malmö and one in Lund, by municipality; their municipalities become the
    hand-off form's buttons."""
    import uuid

    from bot.accounts import store as accounts
    from tests.coordinator import LUND, MALMO, PASSWORD, database_url

    names = {MALMO: f"malmo-{uuid.uuid4().hex[:6]}", LUND: f"lund-{uuid.uuid4().hex[:6]}"}
    for municipality, username in names.items():
        accounts.create(username, PASSWORD, "coordinator", [municipality], database_url(assistant))
    return names


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, headless, driven by Playwright (tests/test_widget.py has the settings)."""
    from playwright.sync_api import sync_playwright

    from tests.test_widget import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
