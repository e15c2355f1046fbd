"""Flag POSIX-only calls outside the platform modules, so Windows support does not rot (issue 20).

Why an AST check and not ruff: the rule is project-specific ("this call is fine inside
``kiosk/platform.py`` or behind a platform test, nowhere else") and ruff has no such rule. It walks
``kiosk/``, ``offline_queue/``, ``ui/`` and the Python files in ``scripts/`` and reports:

* imports of POSIX-only modules (``fcntl``, ``pwd``, ``grp``, ``termios``, ``resource`` …);
* POSIX-only ``os``/``signal`` attributes (``os.kill`` — on Windows it *terminates* the process whatever
  the signal —, ``os.getuid``, ``os.statvfs``, ``os.fork``, ``signal.SIGKILL`` …);
* ``os.open`` whose flags do not go through ``open_flags``/``O_BINARY`` (text mode on Windows);
* ``os.chmod``/``Path.chmod``/``os.chown`` (POSIX modes do nothing on Windows: use
  ``kiosk.platform.restrict_to_owner``);
* ``ctypes.CDLL`` of a ``.so`` and string literals naming POSIX-only paths (``/dev/``, ``/proc/``,
  ``/media`` …);
* ``subprocess`` with ``shell=True``.

A use is accepted when it sits in a platform module (:data:`PLATFORM_MODULES`), under an ``if`` that
tests the platform (``os.name``, ``sys.platform``, ``IS_WINDOWS`` …), after an early
``if <platform test>: return`` in the same function, or on a line marked ``# posix-only: <reason>``.
Existing, audited uses that sit in files other helpers own are listed with their reason in
``scripts/portability_allowlist.txt`` (``path:line-text-fragment  # reason``); anything new fails.

Run: ``python scripts/check_portability.py`` (exit 1 and one line per finding), or through
``tests/test_platform_lint.py``.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCANNED = ("kiosk", "offline_queue", "ui", "scripts")
PLATFORM_MODULES = frozenset(
    {
        "kiosk/platform.py",  # issue 20: every platform difference
        "kiosk/platform_guard.py",  # issue 18 (security): dumps, core files
        "offline_queue/durable_dir.py",  # fsync of a folder: POSIX only, guarded inside
        "scripts/check_portability.py",  # names the calls it looks for
    }
)
ALLOWLIST = ROOT / "scripts" / "portability_allowlist.txt"
MARKER = "# posix-only:"

POSIX_MODULES = frozenset(
    {"fcntl", "pwd", "grp", "termios", "tty", "pty", "resource", "posix", "crypt", "syslog"}
)
POSIX_OS_ATTRS = frozenset(
    {
        "fork",
        "forkpty",
        "kill",
        "killpg",
        "getuid",
        "geteuid",
        "getgid",
        "getegid",
        "setuid",
        "setgid",
        "seteuid",
        "setsid",
        "getpgid",
        "setpgrp",
        "chown",
        "lchown",
        "fchown",
        "fchmod",
        "statvfs",
        "fstatvfs",
        "sync",
        "mkfifo",
        "mknod",
        "uname",
        "getloadavg",
        "sched_getaffinity",
        "posix_fadvise",
        "posix_fallocate",
        "O_DIRECTORY",
        "O_NOFOLLOW",
        "O_SYNC",
        "O_DSYNC",
        "RTLD_LAZY",
        "RTLD_LOCAL",
        "RTLD_GLOBAL",
        "ST_RDONLY",
        "WNOHANG",
    }
)
POSIX_SIGNALS = frozenset(
    {
        "SIGKILL",
        "SIGHUP",
        "SIGUSR1",
        "SIGUSR2",
        "SIGALRM",
        "SIGCHLD",
        "SIGPIPE",
        "SIGQUIT",
        "SIGSTOP",
        "SIGCONT",
    }
)
POSIX_SIGNAL_FUNCS = frozenset({"alarm", "setitimer", "pause", "siginterrupt", "pthread_kill", "sigwait"})
POSIX_PATH_PREFIXES = ("/dev/", "/proc/", "/sys/", "/media", "/run/media", "/mnt", "/etc/", "/var/", "/tmp/")  # noqa: S108 - names them, never writes there
PLATFORM_NAMES = frozenset({"name", "platform", "IS_WINDOWS", "WINDOWS", "win32", "posix", "nt"})


@dataclass(frozen=True, slots=True)
class Finding:
    """One POSIX-only use: where, what, and the source line (the allowlist matches on it)."""

    path: str
    line: int
    what: str
    source: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.what}: {self.source.strip()}"


def _is_platform_test(node: ast.AST) -> bool:
    """Whether an ``if`` test looks at the platform (os.name, sys.platform, IS_WINDOWS, hasattr(os, …))."""
    for sub in ast.walk(node):
        if isinstance(sub, ast.Attribute) and sub.attr in PLATFORM_NAMES:
            return True
        if isinstance(sub, ast.Name) and sub.id in PLATFORM_NAMES:
            return True
        if isinstance(sub, ast.Constant) and sub.value in {"win32", "nt", "posix", "linux"}:
            return True
        if (
            isinstance(sub, ast.Call)
            and isinstance(sub.func, ast.Name)
            and sub.func.id == "hasattr"
            and sub.args
            and isinstance(sub.args[0], ast.Name)
            and sub.args[0].id in {"os", "signal"}
        ):
            return True
    return False


def _exits(body: list[ast.stmt]) -> bool:
    return bool(body) and isinstance(body[-1], ast.Return | ast.Raise | ast.Continue | ast.Break)


class _Visitor(ast.NodeVisitor):
    def __init__(self, path: str, lines: list[str]) -> None:
        self.path = path
        self.lines = lines
        self.findings: list[Finding] = []
        self._guard_depth = 0

    # -- guards ---------------------------------------------------------------------------------
    def visit_If(self, node: ast.If) -> None:
        self.visit(node.test)
        guarded = _is_platform_test(node.test)
        self._guard_depth += guarded
        for stmt in [*node.body, *node.orelse]:
            self.visit(stmt)
        self._guard_depth -= guarded

    def visit_IfExp(self, node: ast.IfExp) -> None:
        guarded = _is_platform_test(node.test)
        self._guard_depth += guarded
        self.generic_visit(node)
        self._guard_depth -= guarded

    def _visit_body(self, body: list[ast.stmt]) -> None:
        early_guard = 0
        for stmt in body:
            self.visit(stmt)
            if (
                isinstance(stmt, ast.If)
                and _is_platform_test(stmt.test)
                and _exits(stmt.body)
                and not early_guard
            ):
                early_guard = 1
                self._guard_depth += 1
        self._guard_depth -= early_guard

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        for dec in node.decorator_list:
            self.visit(dec)
        self._visit_body(node.body)

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        for dec in node.decorator_list:
            self.visit(dec)
        self._visit_body(node.body)

    def visit_Module(self, node: ast.Module) -> None:
        self._visit_body(node.body)

    # -- findings -------------------------------------------------------------------------------
    def _report(self, node: ast.AST, what: str) -> None:
        line = getattr(node, "lineno", 0)
        source = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        if self._guard_depth or MARKER in source:
            return
        self.findings.append(Finding(self.path, line, what, source))

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if alias.name.split(".")[0] in POSIX_MODULES:
                self._report(node, f"POSIX-only module {alias.name}")

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.module and node.module.split(".")[0] in POSIX_MODULES:
            self._report(node, f"POSIX-only module {node.module}")

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if isinstance(node.value, ast.Name):
            if node.value.id == "os" and node.attr in POSIX_OS_ATTRS:
                self._report(node, f"os.{node.attr} is POSIX-only")
            elif node.value.id == "signal" and (
                node.attr in POSIX_SIGNALS or node.attr in POSIX_SIGNAL_FUNCS
            ):
                self._report(node, f"signal.{node.attr} is POSIX-only")
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Attribute):
            owner = func.value.id if isinstance(func.value, ast.Name) else None
            if owner == "os" and func.attr == "open" and len(node.args) >= 2:
                flags = ast.unparse(node.args[1])
                if (
                    "open_flags" not in flags
                    and "O_BINARY" not in flags
                    and "O_RDONLY" != flags.split(".")[-1]
                ):
                    self._report(node, "os.open without O_BINARY (text mode on Windows): use kiosk.platform")
            if func.attr in {"chmod", "lchmod"}:
                self._report(
                    node, f"{func.attr}: POSIX modes do nothing on Windows (kiosk.platform.restrict_to_owner)"
                )
            if owner == "ctypes" and func.attr in {"CDLL", "cdll"}:
                args = " ".join(ast.unparse(a) for a in node.args)
                if ".so" in args:
                    self._report(node, "ctypes loads a POSIX shared object")
        for kw in node.keywords:
            if kw.arg == "shell" and isinstance(kw.value, ast.Constant) and kw.value.value is True:
                self._report(node, "subprocess shell=True (POSIX shell syntax)")
        self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        value = node.value
        if isinstance(value, str) and value.startswith(POSIX_PATH_PREFIXES) and " " not in value.strip():
            self._report(node, "POSIX-only path literal")


def _docstring_nodes(tree: ast.Module) -> set[int]:
    """ids of docstring constants (prose may name /media or os.kill without using them)."""
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
        if (
            isinstance(node, ast.Expr)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        ):
            found.add(id(node.value))  # attribute docstrings and other bare strings
    return found


def check_source(path: str, source: str) -> list[Finding]:
    """Findings in one file's source (``path`` is repo-relative, used for the platform-module check)."""
    if path in PLATFORM_MODULES:
        return []
    tree = ast.parse(source, filename=path)
    docstrings = _docstring_nodes(tree)
    visitor = _Visitor(path, source.splitlines())
    original = visitor.visit_Constant

    def visit_constant(node: ast.Constant) -> None:
        if id(node) not in docstrings:
            original(node)

    visitor.visit_Constant = visit_constant  # type: ignore[method-assign]
    visitor.visit(tree)
    return visitor.findings


def load_allowlist(path: Path = ALLOWLIST) -> list[tuple[str, str]]:
    """(path, fragment of the source line) pairs; each line of the file also carries its reason."""
    entries: list[tuple[str, str]] = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("  #", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        file, _, fragment = line.partition(":")
        entries.append((file.strip(), fragment.strip()))
    return entries


def _allowed(finding: Finding, allowlist: Iterable[tuple[str, str]]) -> bool:
    return any(finding.path == f and fragment in finding.source for f, fragment in allowlist)


def python_files(root: Path = ROOT) -> Iterator[Path]:
    """Every scanned Python file, repo-relative order."""
    for top in SCANNED:
        base = root / top
        pattern = "*.py" if top == "scripts" else "**/*.py"
        yield from sorted(p for p in base.glob(pattern) if "__pycache__" not in p.parts)


def check_tree(root: Path = ROOT, allowlist: Iterable[tuple[str, str]] | None = None) -> list[Finding]:
    """All findings in the scanned packages that neither a guard nor the allowlist accepts."""
    allowed = list(load_allowlist() if allowlist is None else allowlist)
    findings: list[Finding] = []
    for file in python_files(root):
        rel = file.relative_to(root).as_posix()
        findings.extend(
            f for f in check_source(rel, file.read_text(encoding="utf-8")) if not _allowed(f, allowed)
        )
    return findings


def main() -> int:
    """Print the findings; exit 1 when there are any."""
    findings = check_tree()
    for finding in findings:
        print(finding)
    if findings:
        print(
            f"{len(findings)} POSIX-only use(s) outside kiosk/platform.py: move them there, guard them with a "
            f"platform test, or mark the line '{MARKER} <reason>'",
            file=sys.stderr,
        )
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
