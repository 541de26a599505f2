"""The guide: articles staged into Markdown pages and built with MkDocs + Material into site/.

guide imports core; digest to stage the digest's pages, read its issues and feed list, and
compare subscribers' addresses for the privacy scan; relations for the privacy scan
(contacts' private fields) and the consented Partners pages. Never letters or cli.
Its `goodwill` MkDocs plugin (plain_mkdocs_guard) is for MkDocs run by hand.
"""
