"""`python -m goodwill` runs the same CLI as the `goodwill` command."""

from goodwill.cli.main import main

if __name__ == "__main__":  # not when a spawned worker process imports this module
    main()
