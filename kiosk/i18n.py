"""Bilingual messages produced by the Qt-free core.

Why: validation and eligibility messages are decided in the core, which must not import Qt. They are
returned as data carrying both Bahasa Indonesia and English text; the UI picks the one for the language
the applicant chose. The UI's own labels go through Qt's translation system instead.
"""

from __future__ import annotations

# Why re-exported: the types live in ``offline_queue.bilingual`` so the outbox's errors can be
# user-facing too without importing the kiosk; the kiosk and the UI keep importing them from here.
from offline_queue.bilingual import LANGUAGES as LANGUAGES
from offline_queue.bilingual import Language as Language
from offline_queue.bilingual import Message as Message
from offline_queue.bilingual import UserFacingError as UserFacingError
from offline_queue.bilingual import message_of as message_of
