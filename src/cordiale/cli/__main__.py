"""``python -m cordiale.cli``: the same command as the ``cordiale`` entry point."""

from . import main

main()
