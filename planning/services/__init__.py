"""Planning's writes, one module per sub-domain, each re-exported here."""
