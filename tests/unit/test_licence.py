"""Other municipalities may reuse the code and the content only if both say how: the code under
MIT (as pyproject.toml says), the content under CC BY 4.0, both named in the README."""

from __future__ import annotations

import re

from bot.settings import CONTENT_DIR, PROJECT_ROOT


def test_the_code_licence_is_the_one_pyproject_names() -> None:
    declared = re.search(r'^license = \{ text = "([^"]+)" \}', (PROJECT_ROOT / "pyproject.toml").read_text(), re.M)
    assert declared and declared[1] == "MIT"
    text = (PROJECT_ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License\n")
    assert "Permission is hereby granted, free of charge" in text


def test_the_content_has_its_own_licence_and_the_readme_names_both() -> None:
    content_licence = (CONTENT_DIR / "LICENSE").read_text(encoding="utf-8")
    assert "SPDX-License-Identifier: CC-BY-4.0" in content_licence
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    assert "[MIT licence](LICENSE)" in readme
    assert "[CC BY 4.0](content/LICENSE)" in readme
