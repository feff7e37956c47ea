"""Run the CLI with ``python -m jpimport``."""

from jpimport.cli import main

main()
