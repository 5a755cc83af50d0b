"""`kabot-models sync SOURCE`: merge an outside dataset into the catalog's YAML without losing a hand edit.

`runner` does everything but knowing a dataset's shape: it reads the catalog files round-trip, asks
the source's translator for the dataset's entries, matches them to providers through each provider
block's `datasets:` links, applies the merge rules (`merge`), prints or writes the result and
validates it. Each module under `sources/` only maps one dataset's shape into the catalog's.
The rules are written out, with examples, in docs/models/sync.md.
"""
