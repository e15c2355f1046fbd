"""The ``prakerja-kiosk`` console entry point.

Why here and not in ``kiosk.cli``: the command line has two kinds of work. Headless subcommands
(``export``, ``import``, ``sync``, ``status``, ``audit``, ``enrol``, ``config``) must run on a machine
without a display or Qt libraries, so they go to the Qt-free ``kiosk.cli.run`` and this module never
imports Qt for them. The GUI and ``--self-test`` need Qt, which ``kiosk`` may not import (layer
contract), so they start from here and import ``ui.app`` / ``ui.selftest`` lazily.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

log = logging.getLogger(__name__)

EXIT_CONFIG = 2
EXIT_PLATFORM = 3
"""The window cannot open: Qt's platform plug-in lacks system libraries (named on stderr)."""


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv`` with ``kiosk.cli.build_parser()`` and run the GUI, the self-test or a subcommand."""
    from kiosk import cli
    from kiosk.platform_guard import harden_process

    harden_process()  # before any applicant data or key is in memory: no core dumps (issue 18)
    parser = cli.build_parser()
    args = parser.parse_args(list(argv) if argv is not None else None)
    if getattr(args, "command", None):
        from kiosk.logging_setup import CLI_PROCESS, set_process_name

        # Headless commands keep their own log: Windows cannot rotate a file the window holds open.
        set_process_name(CLI_PROCESS)
        return int(cli.run(args))
    if getattr(args, "self_test", False):
        from ui.selftest import run_self_test

        return run_self_test(args)
    return _run_gui(args)


def _run_gui(args: argparse.Namespace) -> int:
    """Load the settings (refusing a bad file), start logging, then open the window."""
    from kiosk.config import ConfigError
    from kiosk.logging_setup import install_excepthook, setup_logging
    from kiosk.paths import DirectoryError, kiosk_paths

    config_path: Path | None = getattr(args, "config", None)
    try:
        # local file < the centre's signed settings < console overrides (kiosk.fleet_settings, issue 19)
        from kiosk.fleet_settings import load_layered

        config = load_layered(kiosk_paths(), Path(config_path) if config_path is not None else None).config
        paths = kiosk_paths().ensure()
        setup_logging(
            paths.log_dir,
            level=config.logging.level,
            max_bytes=config.logging.max_bytes,
            backup_count=config.logging.backup_count,
        )
    except ConfigError as exc:
        print(f"prakerja-kiosk: {exc.message.id} / {exc.message.en}", file=sys.stderr)
        return EXIT_CONFIG
    except DirectoryError as exc:
        print(f"prakerja-kiosk: {exc.message.id} / {exc.message.en}", file=sys.stderr)
        return EXIT_CONFIG
    install_excepthook()

    from ui.system_libs import platform_start_problem, start_refusal

    missing = platform_start_problem()
    if missing:
        # Qt would abort (exit 134) with "could not load the Qt platform plugin" and no names.
        log.error("platform plug-in cannot load: %s", ", ".join(m.soname for m in missing))
        print(start_refusal(missing), file=sys.stderr)
        return EXIT_PLATFORM

    from ui.app import GuiOptions, run_gui

    language = getattr(args, "lang", None) or config.kiosk.language
    options = GuiOptions(
        demo=bool(getattr(args, "demo", False) or config.demo),
        windowed=bool(getattr(args, "windowed", False) or not config.kiosk.fullscreen),
        language=language,
        config=config,
    )
    log.info("starting the kiosk window (demo=%s, windowed=%s)", options.demo, options.windowed)
    return run_gui(options)


if __name__ == "__main__":
    raise SystemExit(main())
