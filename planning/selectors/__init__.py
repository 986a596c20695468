"""Planning's reads, one module per sub-domain, each re-exported here."""
