"""The kwaliteitsbudget year after the decision (Inkoopkader 2020 §4.2.9-4.2.13, DOMAIN.md §7
R11-R17): voorschot (advances), realisatie (realisation), monitoring, herschikking
(reallocation) and nacalculatie (final settlement).

All modules read the agreed budgets through `agreements.agreements(...)`, the one place that
knows how a decided budget request (and an approved herschikking) becomes "the agreement".
"""


def _register_history_labels() -> None:
    """Dutch names of the budget-year records and fields in the review history (audit view)."""
    from desktop.services import review

    review._ENTITY_LABELS.update(
        {
            "advance_adjustment": "Voorschotaanpassing",
            "realisation_report": "Realisatie",
            "reallocation_round": "Herschikking",
            "reallocation_proposal": "Herschikkingsvoorstel",
            "final_settlement": "Nacalculatie",
        }
    )
    review._FIELD_LABELS.update(
        {
            "from_month": "vanaf maand",
            "monthly_amount": "maandvoorschot",
            "reason": "reden",
            "year": "jaar",
            "previous_total": "was",
            "new_staff": "wordt zorgpersoneel",
            "new_other": "wordt overige investeringen",
            "signal": "signaal",
            "note": "toelichting",
            "agreed_staff": "afgesproken zorgpersoneel",
            "agreed_other": "afgesproken overige",
            "realised_staff": "gerealiseerd zorgpersoneel",
            "realised_other": "gerealiseerd overige",
            "reimbursable_staff": "vergoedbaar zorgpersoneel",
            "reimbursable_other": "vergoedbaar overige",
            "advanced": "voorschot",
            "reclaim": "terugvordering",
            "extra_reimbursement": "extra vergoeding",
            "extra_note": "toelichting extra vergoeding",
            "settled_on": "vastgesteld op",
        }
    )
    review._HIDDEN_FIELDS.update({"round_id"})


_register_history_labels()
