"""The thank-you letter set: choosing and rendering letters, stationery, PDF, marking them sent.

letters imports core, relations and (for suggested articles) guide; nothing imports letters
but the CLI and the project check.
"""
