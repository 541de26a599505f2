"""The RSS-fed digest: subscriptions, fetching, entries, issues, e-mail export, publishing,
subscribers and sending.

Imports `core`, and `relations` for contacts (who subscribe, whose feeds are followed);
never `guide` (the guide stages the digest's pages) and never `cli`.
"""
