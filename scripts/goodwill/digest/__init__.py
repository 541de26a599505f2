"""The RSS-fed digest: subscriptions, fetching, entries, issues, e-mail export, publishing."""
