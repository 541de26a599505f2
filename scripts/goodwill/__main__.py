"""`python -m goodwill` runs the same CLI as the `goodwill` command."""

from goodwill.cli.main import main

main()
