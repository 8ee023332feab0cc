"""The personal-data guard's parts: detectors over decoded text, attachment extraction, redaction, policy.

Seed 002 (STEKAS): material that identifies people must arrive de-identified; what arrives otherwise is
destroyed at once and the client is told. The detectors find it, `scan` runs them over every part of a
message, and the pipeline's guard stage decides what is stored (invariant 5).
"""
from dataclasses import dataclass

# National personal codes, checked by their checksums.
CODE_KINDS = ("lt-asmens-kodas", "lv-personas-kods", "ro-cnp", "sk-rodne-cislo", "cz-rodne-cislo", "ee-isikukood",
              "pl-pesel", "ru-snils", "ru-inn")
KINDS = CODE_KINDS + ("iban", "birth-date", "salary", "phone", "email", "name", "unscannable")


@dataclass(frozen=True)
class Finding:
    kind: str
    where: str  # "subject", "body", or an attachment's name ("a.zip/b.csv")
    start: int  # offsets into the scanned text
    end: int
    value: str
