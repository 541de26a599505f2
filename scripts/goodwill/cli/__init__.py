"""The command line: one module per command group; the only place that prints and exits."""

from goodwill.cli.main import main

__all__ = ["main"]
