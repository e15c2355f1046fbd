"""Mobile numbers and e-mail addresses: check and normalise for the account and the OTP.

Why libraries: ``phonenumbers`` (Google's libphonenumber metadata) knows which Indonesian prefixes
are mobile and how long they are, which changes as operators get new ranges; ``email-validator``
implements the address syntax and internationalised domains properly. Both run offline; DNS checks
are off because the kiosk may have no connectivity. Stored forms: E.164 (``+6281234567890``) and the
library's normalised address (domain lower-cased, IDNA applied).
"""

from __future__ import annotations

import re

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from phonenumbers import NumberParseException, PhoneNumberType

from kiosk.i18n import Message, UserFacingError

MAX_PHONE_INPUT = 40
MAX_EMAIL_LENGTH = 254
_PHONE_PUNCTUATION = re.compile(r"[\s.\-()/\u00a0]+")


class ContactError(UserFacingError, ValueError):
    """A phone number or e-mail address that cannot be used; ``message`` says why in both languages."""

    def __init__(self, message: Message) -> None:
        super().__init__(message, message.id)
        self.message = message


def normalise_mobile(text: str) -> str:
    """An Indonesian mobile number in E.164, from ``0812…``, ``62812…`` or ``+62 812-…``.

    Raises :class:`ContactError` for anything else (landlines, foreign numbers, too short/long).
    """
    if not isinstance(text, str) or len(text) > MAX_PHONE_INPUT:
        raise ContactError(_phone_format())
    compact = _PHONE_PUNCTUATION.sub("", text)
    if not compact:
        raise ContactError(
            Message(
                "Nomor HP belum diisi. Ketik nomor HP Anda, contoh 0812 3456 7890.",
                "The mobile number is missing. Type your mobile number, e.g. 0812 3456 7890.",
            )
        )
    if compact.startswith("62") and compact.isdigit():
        compact = "+" + compact  # typed with the country code but without the plus sign
    if not re.fullmatch(r"\+?[0-9]{6,16}", compact):
        raise ContactError(_phone_format())
    try:
        number = phonenumbers.parse(compact, "ID")
    except NumberParseException:
        raise ContactError(_phone_format()) from None
    if number.country_code != 62:
        raise ContactError(
            Message(
                "Gunakan nomor HP Indonesia (+62 atau 08...).",
                "Please use an Indonesian mobile number (+62 or 08...).",
            )
        )
    if not phonenumbers.is_valid_number(number):
        raise ContactError(_phone_format())
    if phonenumbers.number_type(number) != PhoneNumberType.MOBILE:
        raise ContactError(
            Message(
                "Ini bukan nomor HP. Gunakan nomor HP yang dapat menerima SMS (08...).",
                "This is not a mobile number. Please use a mobile number that can receive SMS (08...).",
            )
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _phone_format() -> Message:
    return Message(
        "Nomor HP tidak valid. Ketik lagi, contoh: 0812 3456 7890.",
        "The mobile number is not valid. Type it again, e.g. 0812 3456 7890.",
    )


def format_mobile_national(e164: str) -> str:
    """``+6281234567890`` -> ``0812-3456-7890`` style for showing back to the person."""
    try:
        number = phonenumbers.parse(e164, "ID")
    except NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


def normalise_email(text: str) -> str:
    """The normalised e-mail address, or :class:`ContactError`. Syntax only: no DNS look-up."""
    if not isinstance(text, str):
        raise ContactError(_email_format())
    candidate = text.strip()
    if not candidate:
        raise ContactError(
            Message(
                "Alamat e-mail belum diisi. Ketik e-mail Anda, contoh nama@gmail.com.",
                "The e-mail address is missing. Type your e-mail, e.g. name@gmail.com.",
            )
        )
    if len(candidate) > MAX_EMAIL_LENGTH:
        raise ContactError(_email_format())
    try:
        result = validate_email(candidate, check_deliverability=False)
    except EmailNotValidError:
        raise ContactError(_email_format()) from None
    except (ValueError, UnicodeError):  # defensive: IDNA codec errors on odd domains
        raise ContactError(_email_format()) from None
    normalised = str(result.normalized)
    if len(normalised) > MAX_EMAIL_LENGTH:
        raise ContactError(_email_format())
    return normalised


def _email_format() -> Message:
    return Message(
        "Alamat e-mail tidak valid. Ketik lagi, contoh: nama@gmail.com.",
        "The e-mail address is not valid. Type it again, e.g. name@gmail.com.",
    )
