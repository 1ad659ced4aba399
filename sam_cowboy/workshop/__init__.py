"""Workshops: group sessions over the results store (create, host, join, serve, report)."""
