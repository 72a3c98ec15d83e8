"""Application use cases: one function, one unit of work, events and audit together."""
