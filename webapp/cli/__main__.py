"""``python -m webapp.cli``."""

from webapp.cli import main

main()
