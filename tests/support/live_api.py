"""Fixtures that start the real reference central API on 127.0.0.1 (filled in by the API work)."""
