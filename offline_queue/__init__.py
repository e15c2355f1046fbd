"""offline_queue."""
