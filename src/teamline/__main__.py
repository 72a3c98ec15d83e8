"""`python -m teamline` is the `teamline` command."""

from teamline.cli import main

main()
