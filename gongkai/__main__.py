"""`python -m gongkai …`: the gongkai command where its script is not on PATH (a venv not activated, Windows)."""

from gongkai.cli import main

main()
