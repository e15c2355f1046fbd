"""The operator console: staff-only screens reached by a hidden gesture and a PIN.

Why a package of small pages: each page (dashboard, attention list, status look-up, field work,
settings, maintenance) has one job and only displays what :mod:`kiosk.console_model` and
:mod:`kiosk.status_lookup` compute; :mod:`ui.console.controller` wires them to the runtime, runs the
slow work with ``ui.worker.run_in_background`` and writes the audit log.
"""
