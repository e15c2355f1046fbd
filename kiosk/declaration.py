"""The applicant's declaration (*Pernyataan Pendaftar*) as data: each statement in both languages.

Why data, not screens: the statement list changes with programme rules; the review, the payload
(``declaration: {id: bool}``) and the eligibility check all read the same list, and the UI draws one
yes/no row per entry. Every statement is phrased so that "Ya / Yes" is the answer that qualifies;
``refusal`` explains kindly why "Tidak / No" ends the registration and what the person can do.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.i18n import Message


@dataclass(frozen=True, slots=True)
class Statement:
    """One yes/no statement; ``id`` is the key in the payload's ``declaration`` mapping.

    ``question`` is what the screen asks, as a direct question ("Apakah Anda sedang sekolah atau
    kuliah?") rather than a negated statement answered Ya/Tidak (a double negative people misread);
    ``qualifying`` is the answer to the question that qualifies. The payload keeps the statement's
    meaning: ``True`` means the statement holds (the person qualifies on it).
    """

    id: str
    text: Message
    refusal: Message
    question: Message
    qualifying: bool = True

    def holds(self, answer_yes: bool) -> bool:
        """The payload value for a Ya (True) / Tidak (False) answer to :attr:`question`."""
        return answer_yes == self.qualifying

    def answer_for(self, holds: bool) -> bool:
        """The Ya (True) / Tidak (False) answer that gives the payload value ``holds``."""
        return holds == self.qualifying


STATEMENTS: tuple[Statement, ...] = (
    Statement(
        "citizen",
        Message("Saya Warga Negara Indonesia (WNI).", "I am an Indonesian citizen (WNI)."),
        Message(
            "Kartu Prakerja hanya untuk Warga Negara Indonesia. Terima kasih sudah datang; petugas dapat "
            "menunjukkan program lain yang mungkin sesuai.",
            "Kartu Prakerja is only for Indonesian citizens. Thank you for coming; the staff can point you "
            "to other programmes that may fit.",
        ),
        question=Message("Apakah Anda Warga Negara Indonesia (WNI)?", "Are you an Indonesian citizen (WNI)?"),
        qualifying=True,
    ),
    Statement(
        "not_in_formal_education",
        Message(
            "Saya tidak sedang sekolah atau kuliah (pendidikan formal).",
            "I am not currently in school or college (formal education).",
        ),
        Message(
            "Kartu Prakerja untuk orang yang tidak sedang sekolah atau kuliah. Anda dapat mendaftar setelah "
            "lulus atau berhenti dari pendidikan formal.",
            "Kartu Prakerja is for people who are not in school or college. You can register once you have "
            "finished or left formal education.",
        ),
        question=Message("Apakah Anda sedang sekolah atau kuliah?", "Are you in school or college now?"),
        qualifying=False,
    ),
    Statement(
        "not_civil_servant",
        Message(
            "Saya bukan PNS/ASN, anggota TNI, atau anggota Polri.",
            "I am not a civil servant (PNS/ASN), a member of the armed forces (TNI) or the police (Polri).",
        ),
        Message(
            "PNS/ASN, anggota TNI dan Polri tidak dapat menerima Kartu Prakerja. Jika Anda sudah berhenti, "
            "Anda dapat mendaftar.",
            "Civil servants and members of the TNI or Polri cannot receive Kartu Prakerja. If you have left "
            "that service, you can register.",
        ),
        question=Message(
            "Apakah Anda PNS/ASN, anggota TNI, atau anggota Polri?",
            "Are you a civil servant (PNS/ASN), or a member of the armed forces (TNI) or the police (Polri)?",
        ),
        qualifying=False,
    ),
    Statement(
        "not_official",
        Message(
            "Saya bukan pejabat negara, anggota DPR/DPRD, kepala desa, atau perangkat desa.",
            "I am not a state official, a member of the DPR/DPRD, a village head or a village official.",
        ),
        Message(
            "Pejabat negara, anggota DPR/DPRD, kepala desa dan perangkat desa tidak dapat menerima Kartu "
            "Prakerja selama menjabat.",
            "State officials, DPR/DPRD members, village heads and village officials cannot receive Kartu "
            "Prakerja while in office.",
        ),
        question=Message(
            "Apakah Anda pejabat negara, anggota DPR/DPRD, kepala desa, atau perangkat desa?",
            "Are you a state official, a member of the DPR/DPRD, a village head or a village official?",
        ),
        qualifying=False,
    ),
    Statement(
        "not_soe_board",
        Message(
            "Saya bukan direksi, komisaris, atau dewan pengawas BUMN/BUMD.",
            "I am not a director, commissioner or supervisory board member of a state- or region-owned "
            "enterprise (BUMN/BUMD).",
        ),
        Message(
            "Direksi, komisaris dan dewan pengawas BUMN/BUMD tidak dapat menerima Kartu Prakerja selama "
            "menjabat.",
            "Directors, commissioners and supervisory board members of BUMN/BUMD cannot receive Kartu "
            "Prakerja while in office.",
        ),
        question=Message(
            "Apakah Anda direksi, komisaris, atau dewan pengawas BUMN/BUMD?",
            "Are you a director, commissioner or supervisory board member of a BUMN/BUMD?",
        ),
        qualifying=False,
    ),
    Statement(
        "data_is_true",
        Message(
            "Data yang saya isi benar dan sesuai dengan KTP saya.",
            "The data I entered is true and matches my KTP.",
        ),
        Message(
            "Pendaftaran hanya dapat dikirim jika datanya benar. Anda dapat kembali dan memperbaiki data "
            "yang belum sesuai.",
            "A registration can only be sent when its data is true. You can go back and correct anything "
            "that is not right.",
        ),
        question=Message(
            "Apakah data yang Anda isi benar dan sesuai dengan KTP Anda?",
            "Is the data you entered true and the same as on your KTP?",
        ),
        qualifying=True,
    ),
)

BY_ID: dict[str, Statement] = {s.id: s for s in STATEMENTS}
