"""What every wing shares: errors, project paths, settings, dates, YAML, front matter, output.

core imports nothing else of goodwill: the wings (guide, relations, letters, digest) build on it.
"""
