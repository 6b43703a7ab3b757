"""The command line: click commands, one module per group of commands.

``app`` holds the group, the shared options and the exit codes (the only place errors become
messages); importing the command modules registers their commands on it.
"""

from thermosim.cli import (  # noqa: F401 (importing a module registers its commands)
    calibrate,
    explain,
    play,
    present,
    run,
    scenarios,
    sweep,
)
from thermosim.cli.app import main

__all__ = ["main"]
