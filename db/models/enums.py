"""Domain code lists (DOMAIN.md glossary). Codes are English; `label` is the Dutch text users see."""

from __future__ import annotations

from enum import StrEnum


class _Labelled(StrEnum):
    @property
    def label(self) -> str:
        return _LABELS[self.__class__.__name__][self.value]

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(m.value, m.label) for m in cls]


class Role(_Labelled):
    PURCHASER = "PURCHASER"
    QUALITY_ADVISOR = "QUALITY_ADVISOR"
    TEAM_LEAD = "TEAM_LEAD"


class ThemeGroup(_Labelled):
    QUALITY_SAFETY = "QUALITY_SAFETY"
    PRECONDITIONS = "PRECONDITIONS"


class Rating(_Labelled):
    """Four-point scale (NZa S4 §2.1), reworded for the quality of care (DOMAIN.md §3.4)."""

    GOOD = "GOOD"
    SUFFICIENT = "SUFFICIENT"
    MODERATE = "MODERATE"
    INSUFFICIENT = "INSUFFICIENT"


class VisitStatus(_Labelled):
    DRAFT = "DRAFT"
    COMPLETED = "COMPLETED"


class ActionOwner(_Labelled):
    PROVIDER = "PROVIDER"
    CARE_OFFICE = "CARE_OFFICE"


class ActionStatus(_Labelled):
    OPEN = "OPEN"
    DONE = "DONE"


class NoteKind(_Labelled):
    STRENGTH = "STRENGTH"
    VULNERABILITY = "VULNERABILITY"
    IMPROVEMENT_POINT = "IMPROVEMENT_POINT"
    SIGNAL = "SIGNAL"


class RequestState(_Labelled):
    """DOMAIN.md §6.4 process states."""

    RECEIVED = "RECEIVED"
    IN_REVIEW = "IN_REVIEW"
    CLARIFICATION_REQUESTED = "CLARIFICATION_REQUESTED"
    AWAITING_FOUR_EYES = "AWAITING_FOUR_EYES"
    DECIDED = "DECIDED"
    LETTER_SENT = "LETTER_SENT"
    ADDENDUM_SIGNED = "ADDENDUM_SIGNED"
    IN_MEDIATION = "IN_MEDIATION"
    WITHDRAWN = "WITHDRAWN"


class Decision(_Labelled):
    APPROVED = "APPROVED"
    APPROVED_ADJUSTED = "APPROVED_ADJUSTED"
    # S1 §4.2.8: an application received early is agreed up to the reserved budget; the part
    # above it is decided later (national ceiling). DOMAIN.md §6.4.
    APPROVED_UP_TO_RESERVED = "APPROVED_UP_TO_RESERVED"
    REJECTED = "REJECTED"


class Judgement(_Labelled):
    """Judgement of one plan check or one deviation criterion."""

    MEETS = "MEETS"
    PARTLY = "PARTLY"
    DOES_NOT_MEET = "DOES_NOT_MEET"
    NOT_APPLICABLE = "NOT_APPLICABLE"


class ReviewKind(_Labelled):
    SUBMITTED = "SUBMITTED"
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"
    WITHDRAWN = "WITHDRAWN"


class LetterStatus(_Labelled):
    DRAFT = "DRAFT"
    DEFINITIVE = "DEFINITIVE"
    SENT = "SENT"


_LABELS: dict[str, dict[str, str]] = {
    "Role": {
        "PURCHASER": "Zorginkoper",
        "QUALITY_ADVISOR": "Kwaliteitsadviseur",
        "TEAM_LEAD": "Teamleider",
    },
    "ThemeGroup": {"QUALITY_SAFETY": "Kwaliteit en veiligheid", "PRECONDITIONS": "Randvoorwaarden"},
    "Rating": {
        "GOOD": "Goed",
        "SUFFICIENT": "Voldoende",
        "MODERATE": "Matig",
        "INSUFFICIENT": "Onvoldoende",
    },
    "VisitStatus": {"DRAFT": "Concept", "COMPLETED": "Afgerond"},
    "ActionOwner": {"PROVIDER": "Zorgaanbieder", "CARE_OFFICE": "Zorgkantoor"},
    "ActionStatus": {"OPEN": "Open", "DONE": "Afgehandeld"},
    "NoteKind": {
        "STRENGTH": "Sterk punt",
        "VULNERABILITY": "Kwetsbaarheid",
        "IMPROVEMENT_POINT": "Verbeterpunt",
        "SIGNAL": "Signaal",
    },
    "RequestState": {
        "RECEIVED": "Ontvangen",
        "IN_REVIEW": "In beoordeling",
        "CLARIFICATION_REQUESTED": "Toelichting gevraagd",
        "AWAITING_FOUR_EYES": "Ter vier-ogen",
        "DECIDED": "Besloten",
        "LETTER_SENT": "Brief verstuurd",
        "ADDENDUM_SIGNED": "Addendum getekend",
        "IN_MEDIATION": "In mediation",
        "WITHDRAWN": "Ingetrokken",
    },
    "Decision": {
        "APPROVED": "Akkoord",
        "APPROVED_ADJUSTED": "Akkoord na aanpassing",
        "APPROVED_UP_TO_RESERVED": "Akkoord tot het gereserveerde budget",
        "REJECTED": "Niet akkoord",
    },
    "Judgement": {
        "MEETS": "Voldoet",
        "PARTLY": "Voldoet deels",
        "DOES_NOT_MEET": "Voldoet niet",
        "NOT_APPLICABLE": "N.v.t.",
    },
    "ReviewKind": {
        "SUBMITTED": "Ter beoordeling aangeboden",
        "APPROVED": "Goedgekeurd",
        "REJECTED": "Afgekeurd",
        "WITHDRAWN": "Teruggetrokken",
    },
    "LetterStatus": {"DRAFT": "Concept", "DEFINITIVE": "Definitief", "SENT": "Verzonden"},
}
