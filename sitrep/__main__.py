"""`python -m sitrep`: the command line, as the `sitrep` command."""

from sitrep.cli import run

run()
