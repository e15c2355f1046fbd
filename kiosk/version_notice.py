"""The centre's minimum and latest kiosk version, and what an outdated kiosk tells staff (issue 19).

The reference API answers every heartbeat with ``min_version`` and ``latest_version`` (server settings
``kiosk_min_version`` / ``kiosk_latest_version``; empty = no policy). Below the latest, the console says
an update is available; below the minimum, the kiosk refuses to *start* registrations (welcome screen
and sealing) while it keeps delivering its queue — the sealed registrations already taken are never
held hostage by an update.

Versions are compared as tuples of their leading integers (``0.10.2rc1`` → ``(0, 10, 2)``): the kiosk's
own versions are plain ``X.Y.Z`` and the runtime does not depend on ``packaging``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kiosk.i18n import Message

_NUMBERS = re.compile(r"\d+")


def parse_version(text: str) -> tuple[int, ...]:
    """``"1.2.3"`` → ``(1, 2, 3)``; anything after the numeric dotted part is ignored; ``()`` if none."""
    head = re.match(r"^\s*v?([0-9]+(?:\.[0-9]+)*)", text or "")
    if head is None:
        return ()
    parts = [int(n) for n in _NUMBERS.findall(head.group(1))]
    while len(parts) > 1 and parts[-1] == 0:
        parts.pop()
    return tuple(parts)


@dataclass(frozen=True, slots=True)
class VersionNotice:
    """This kiosk's version against the centre's policy."""

    current: str
    minimum: str | None
    latest: str | None

    @property
    def below_minimum(self) -> bool:
        return bool(self.minimum) and parse_version(self.current) < parse_version(self.minimum or "")

    @property
    def outdated(self) -> bool:
        return bool(self.latest) and parse_version(self.current) < parse_version(self.latest or "")

    def message(self) -> Message:
        """The console line (⚠ in the console when :attr:`outdated`)."""
        if self.below_minimum:
            return Message(
                f"{self.current} — DI BAWAH VERSI MINIMUM {self.minimum}: pendaftaran baru ditolak, antrean "
                "tetap dikirim. Perbarui aplikasi.",
                f"{self.current} — BELOW THE MINIMUM VERSION {self.minimum}: new registrations are refused, "
                "the queue is still delivered. Update the application.",
            )
        if self.outdated:
            return Message(
                f"{self.current} — versi {self.latest} tersedia; perbarui saat kios sepi.",
                f"{self.current} — version {self.latest} is available; update when the kiosk is quiet.",
            )
        return Message(f"{self.current} (terbaru)", f"{self.current} (up to date)")


REGISTRATION_BLOCKED = Message(
    "Kios ini harus diperbarui sebelum menerima pendaftaran baru. Mohon hubungi petugas.",
    "This kiosk must be updated before it takes new registrations. Please ask the staff.",
)
