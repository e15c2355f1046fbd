"""Reusable touch widgets shared by every screen (one module per widget)."""
