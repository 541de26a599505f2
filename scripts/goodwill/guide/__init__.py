"""The guide: articles staged into Markdown pages and built with MkDocs + Material into site/.

guide imports core, and digest only to stage the digest archive pages; never relations or letters.
"""
