"""The command line: click commands, one module per group of commands.

``app`` holds the group, the shared options and the exit codes (the only place errors become
messages); importing the command modules registers their commands on it.
"""

from thermosim.cli import explain, present, run, scenarios, sweep  # noqa: F401 (registers)
from thermosim.cli.app import main

__all__ = ["main"]
