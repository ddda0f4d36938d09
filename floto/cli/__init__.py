"""The ``floto`` command: operate runs (AWS or the local engine), run the local engine, draw
and check workflows.

Each sub-command is a module with a ``main(argv) -> int``; this package only dispatches, and
imports nothing heavy up front. See docs/cli.md.
"""

from floto.cli._main import COMMANDS, main

__all__ = ["COMMANDS", "main"]
