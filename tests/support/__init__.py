"""Test support code that is not itself a test: private PostgreSQL clusters (see pg_cluster)."""
