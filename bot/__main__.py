"""Command line: `python -m bot check | train | run`."""

from bot.cli import main

raise SystemExit(main())
