"""Sales-ledger import: read CSV/Excel files, validate every line, store new lines in bulk."""
