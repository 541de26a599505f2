"""The guide: articles staged into Markdown pages and built with MkDocs + Material into site/.

guide imports core; digest to stage the digest's pages and read its issues and feed list;
relations for the privacy scan (contacts' private fields) and the consented Partners pages.
Never letters or cli.
"""
