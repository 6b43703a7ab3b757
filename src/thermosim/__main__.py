"""``python -m thermosim``: the same command line as ``thermosim``."""

from thermosim.cli import main

if __name__ == "__main__":
    main()
