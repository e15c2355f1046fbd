"""offline_queue: a durable outbox of opaque blobs and a sync engine that delivers them exactly once.

Knows nothing of the programme it serves (import-linter forbids importing ``kiosk``, ``central_api`` or
``ui``): items are ids with sealed blobs. Modules, one job each:

- :mod:`offline_queue.outbox` — the SQLite outbox (states, leases, stats, operator actions).
- :mod:`offline_queue.exchange` — the export file format (carrying a queue on a USB stick).
- :mod:`offline_queue.transport` — the ``Transport`` protocol and the HTTP status table.
- :mod:`offline_queue.policy` — backoff with full jitter.
- :mod:`offline_queue.sync` — the engine thread; :mod:`offline_queue.events` — what it reports.
- :mod:`offline_queue.errors` — plain-words errors in Bahasa Indonesia and English.
"""
