"""`python -m kabot_models.cli` runs the command line."""

from . import main

main()
