"""Planning's pages, one module per sub-domain, each re-exported here."""
