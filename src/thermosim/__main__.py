"""The ``thermosim`` command and ``python -m thermosim``: stop signals handled from the start.

Importing the commands (numpy, pydantic, the model) takes a few tenths of a second; a Ctrl-C,
SIGTERM or SIGHUP in that time stops the command as it would later (one line, 128 + the signal)
instead of printing a traceback of whatever was being imported. ``thermosim/__init__`` imports
nothing heavy, so this module runs almost at once.
"""

from __future__ import annotations

import contextlib
import sys


def main() -> None:
    """Import the command line with the stop signals handled, then run it."""
    from thermosim.interrupts import Interrupted, stop_on_signals

    try:
        with stop_on_signals():
            from thermosim.cli import main as command_line
    except KeyboardInterrupt as exc:
        stop = Interrupted.of(exc)
        text = "interrupted" + ("" if stop.name == "SIGINT" else f" by {stop.name}")
        with contextlib.suppress(OSError):  # no terminal left to tell (SIGHUP)
            sys.stderr.write(f"error: {text} before it started; nothing was written\n")
        sys.exit(stop.exit_code)
    command_line()


if __name__ == "__main__":
    main()
