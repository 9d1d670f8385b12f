"""The checks a definitive letter must pass before it gets a kenmerk: addressee, letterhead,
signatories, amounts, the explained points of the decision and the envelope window."""

from __future__ import annotations

from db.errors import RuleViolation, ValidationError
from db.models.enums import Decision
from desktop.services.letters.address import address_block
from desktop.services.letters.model import LetterSource

_ADDRESSEE_FIELDS = (
    ("organisation", "naam"),
    ("street", "straat"),
    ("house_number", "huisnummer"),
    ("postcode", "postcode"),
    ("place", "plaats"),
)
_LETTERHEAD_FIELDS = (
    ("name", "naam"),
    ("postal_address", "postadres"),
    ("postcode", "postcode"),
    ("place", "plaats"),
    ("phone", "telefoonnummer"),
    ("email", "e-mailadres"),
)


def check_complete(src: LetterSource) -> None:
    missing = [
        label for name, label in _ADDRESSEE_FIELDS if not str(getattr(src.addressee, name)).strip()
    ]
    if missing:
        raise ValidationError(
            "addressee",
            "De brief kan niet definitief worden: van de geadresseerde "
            f"({src.addressee.organisation or 'zorgaanbieder'}) ontbreekt: "
            + ", ".join(missing)
            + ".",
        )
    head = src.letterhead
    missing = [label for name, label in _LETTERHEAD_FIELDS if not str(getattr(head, name)).strip()]
    if not head.kvk_number.strip():
        missing.append("KvK-nummer")
    if missing:
        raise ValidationError(
            "letterhead",
            "De brief kan niet definitief worden: in het briefhoofd van "
            f"{head.name or head.code} ontbreekt: "
            + ", ".join(missing)
            + ". Vul dit aan bij de gegevens van het zorgkantoor.",
        )
    if src.maker is None:
        raise ValidationError(
            "maker", "De brief kan niet definitief worden: de opsteller ontbreekt."
        )
    if src.approver is None:
        raise RuleViolation(
            "De brief kan niet definitief worden: het besluit is niet door een "
            "teamleider goedgekeurd (vier-ogen)."
        )
    if src.decision != Decision.REJECTED and src.approved_total is None:
        raise ValidationError(
            "approved_total",
            "De brief kan niet definitief worden: het toegekende bedrag ontbreekt.",
        )
    if src.decision == Decision.REJECTED and src.approved_total is not None:
        raise ValidationError(
            "approved_total",
            "De brief kan niet definitief worden: een besluit "
            "'Niet akkoord' heeft geen toegekende bedragen.",
        )
    if src.unexplained:
        # Issue 15: the letter follows the decision, the decision follows the assessment.
        raise RuleViolation(
            "De brief kan niet definitief worden: het besluit is akkoord, maar deze "
            "punten voldoen niet en zijn niet toegelicht:\n"
            + "\n".join(f"• {u}" for u in src.unexplained)
            + "\nLeg in het besluit per punt vast waarom het wordt geaccepteerd."
        )
    block = address_block(
        src.addressee, head.window, bool(head.postal_address or head.postcode or head.place)
    )
    if not block.fits:
        raise ValidationError(
            "addressee",
            "De brief kan niet definitief worden: "
            + block.problem
            + " Kort de naam of de t.a.v.-regel van de zorgaanbieder in, of stel "
            "het venster in bij het briefhoofd.",
        )
