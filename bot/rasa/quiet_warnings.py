"""Keeps third-party deprecation notices out of what Rasa and the action server print.

About 20 of them appear at each start (sanic, SQLAlchemy, pkg_resources, TensorFlow, matplotlib)
and say nothing an operator can act on. `PYTHONWARNINGS` alone does not hide them: importing sanic
runs `filterwarnings("once", category=DeprecationWarning)`, which goes in front of it. So sanic is
imported first and our filters are put in front of its one. Warnings raised from our own code
(bot, actions) still show, as do all other categories.
"""

from __future__ import annotations

import warnings

THIRD_PARTY = r"^(?!bot\b|actions\b)"  # any module but ours


def install() -> None:
    import sanic.app  # noqa: F401 - imported for the filter it adds, which ours must come before

    _ignore_deprecations()


def install_for_rasa() -> None:
    """As install(), and again after Rasa's CLI sets its own filters: its `once` for every
    UserWarning would otherwise show deprecations that are UserWarnings too (pyparsing's)."""
    from rasa.utils import common

    install()
    set_rasas_filters = common._filter_warnings

    def then_ours(*args: object, **kwargs: object) -> None:
        set_rasas_filters(*args, **kwargs)
        _ignore_deprecations()

    common._filter_warnings = then_ours


def _ignore_deprecations() -> None:
    for category in (DeprecationWarning, PendingDeprecationWarning, FutureWarning):
        warnings.filterwarnings("ignore", category=category, module=THIRD_PARTY)
