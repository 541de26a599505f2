"""goodwill: one folder of plain files, three outputs (guide, letters, digest)."""

__version__ = "0.1.0"
