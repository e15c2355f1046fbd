"""Endpoint groups of the reference API, one module per concern."""
