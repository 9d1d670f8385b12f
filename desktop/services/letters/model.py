"""Frozen value objects of a beoordelingsbrief: what the layout needs, nothing from the ORM."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

# Herschikkingsbrieven share the letter table and its sequence; they are kept apart from the
# beoordelingsbrief of the same request by their template id (issue 16).
HERSCHIKKING_TEMPLATE = "herschikkingsbrief"
SUBJECT = "budget_request"  # the review subject whose approval a letter needs
KENMERK_DOMAIN = "KB"  # the middle part of a kenmerk: "ZK/KB/2027/000123"


@dataclass(frozen=True)
class EnvelopeWindow:
    """The address window of the envelope, measured on the unfolded A4 sheet (mm from the
    top-left corner). Defaults: Dutch window envelope EA5/6 / C5/6 (window 20 mm from the left,
    about 50 mm from the top of the sheet, 90 x 40 mm). Configurable per care office in
    letter_settings["envelope_window"]."""

    left_mm: float = 20.0
    top_mm: float = 50.0
    width_mm: float = 90.0
    height_mm: float = 40.0
    padding_mm: float = 4.0


@dataclass(frozen=True)
class Letterhead:
    code: str
    name: str
    postal_address: str = ""  # "Postbus 1234"
    postcode: str = ""
    place: str = ""
    visiting_address: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""
    kvk_number: str = ""
    iban: str = ""
    logo_path: str = ""
    window: EnvelopeWindow = field(default_factory=EnvelopeWindow)
    kenmerk_domain: str = KENMERK_DOMAIN  # letter_settings["kenmerk_domain"] may change it


@dataclass(frozen=True)
class Addressee:
    organisation: str
    attention_of: str = ""  # "de Raad van Bestuur" (printed as "t.a.v. ...")
    street: str = ""
    house_number: str = ""
    postcode: str = ""  # "1234 AB"
    place: str = ""
    salutation: str = ""  # "Geachte mevrouw De Vries,"

    @property
    def lines(self) -> tuple[str, ...]:
        from desktop.services.formatting import postcode as fmt_postcode

        out = [self.organisation]
        if self.attention_of:
            att = self.attention_of
            out.append(att if att.lower().startswith("t.a.v.") else f"t.a.v. {att}")
        out.append(f"{self.street} {self.house_number}".strip())
        pc = fmt_postcode(self.postcode) if self.postcode else ""
        # DOMAIN.md §8.2: postcode, two spaces, place in capitals.
        out.append(f"{pc}  {self.place.upper()}".strip())
        return tuple(out)


@dataclass(frozen=True)
class Signatory:
    name: str
    function: str


@dataclass(frozen=True)
class Judged:
    """One toetsingspunt or eis with its judgement and reasoning."""

    code: str
    number: str  # "1".."10" or "4.2.2"
    text: str
    judgement: str  # Dutch label, e.g. "Voldoet"
    reasoning: str


@dataclass(frozen=True)
class AcceptedPoint:
    """A failing requirement or criterion the approval accepts, and why (decisions.Acceptance)."""

    label: str  # "toetsingspunt 4" / "eis 4.2.2, KP-03"
    basis: str  # "maatwerkafspraak" / "voorwaarde"
    text: str


@dataclass(frozen=True)
class AgreedResult:
    """A maatwerkafspraak recorded as an agreement of this decision (issue 17, steering): what
    the letter and the addendum say about it."""

    themes: str  # "T3 Veiligheid, T6 Personeelssamenstelling"
    locations: str  # "alle locaties" or the names
    result: str  # the result aimed at, Dutch ("minimaal voldoende; ...")
    due: date
    check_method: str  # CHECK_METHODS key: BEZOEK / INDICATOR / GESPREK


@dataclass(frozen=True)
class LetterSource:
    """Everything the letter says, gathered from the decision (service) or built in tests."""

    request_id: str
    budget_year: int
    decision: str  # Decision: APPROVED / APPROVED_ADJUSTED / APPROVED_UP_TO_RESERVED / REJECTED
    letterhead: Letterhead
    addressee: Addressee
    received_date: date
    initial_reserved_amount: Decimal
    requested_total: Decimal
    requested_staff_amount: Decimal
    requested_other_amount: Decimal
    approved_total: Decimal | None
    approved_staff_amount: Decimal | None
    approved_other_amount: Decimal | None
    maker: Signatory | None
    approver: Signatory | None
    your_reference: str = ""
    your_letter_date: date | None = None
    criteria: tuple[Judged, ...] = ()
    requirements: tuple[Judged, ...] = ()
    decision_rationale: str = ""
    custom_agreements: str = ""
    improvement_points: tuple[str, ...] = ()
    maker_email: str = ""
    template_override: dict | None = None
    care_office_id: str = ""  # whose kenmerk sequence the definitive letter takes a number of
    accepted: tuple[AcceptedPoint, ...] = ()  # issue 15: failing points accepted, and why
    unexplained: tuple[str, ...] = ()  # failing points without an explanation (refused)
    target_themes: tuple[str, ...] = ()  # issue 17: the decision's doelthema's, "T3 Veiligheid"
    agreed_results: tuple[AgreedResult, ...] = ()  # issue 17: the decision's maatwerkafspraken


@dataclass(frozen=True)
class LetterInfo:
    """A letter record as the UI and CLI see it (no PDF bytes)."""

    id: str
    request_id: str
    provider_name: str
    region_name: str
    care_office_code: str
    year: int
    status: str  # LetterStatus
    status_label: str
    decision: str
    decision_label: str
    kenmerk: str | None
    letter_date: date | None
    subject: str
    template_id: str
    template_version: str
    maker_name: str
    approver_name: str
    sha256: str | None
    sent_on: date | None
    pdf_size: int


@dataclass(frozen=True)
class PendingDecision:
    """An approved decision that has no letter yet."""

    request_id: str
    provider_name: str
    region_name: str
    year: int
    decision: str
    decision_label: str
    approved_total: Decimal | None
