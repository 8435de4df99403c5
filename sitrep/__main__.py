"""`python -m sitrep`: the command line, as the `sitrep` command."""

from sitrep.cli import main

main(prog_name="sitrep")
