"""The budget year after the decision: voorschot, realisatie, herschikking, nacalculatie
(Inkoopkader 2020 §4.2.9-4.2.13; DOMAIN.md §7 R11-R17).

Money is `Money` (integer cents). FTE figures are also stored with `Money`: a Decimal with two
decimals kept as integer hundredths (31,75 fte -> 3175), exact like the amounts.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlmodel import Field

from db.models.base import Record
from db.types import Money


class AdvanceAdjustment(Record, table=True):
    """A change of the monthly voorschot from a month on, "indien nodig en na overleg
    tussentijds aangepast in lijn met de daadwerkelijke realisatie" (S1 §4.2.9). It counts only
    once approved under the vier-ogen rule (subject type "advance_adjustment")."""

    __tablename__ = "advance_adjustment"

    budget_request_id: str = Field(foreign_key="budget_request.id", index=True)
    provider_id: str = Field(foreign_key="provider.id", index=True)
    year: int = Field(index=True)
    from_month: int  # 1..12
    monthly_amount: Decimal = Field(sa_type=Money)  # the new monthly advance
    reason: str
    author_id: str = Field(foreign_key="app_user.id")


class RealisationReport(Record, table=True):
    """One realisation report of a provider (S1 §4.2.9, §4.2.12): period MAY / JUL / OCT
    (cumulative from 1 January), YEAR (with the rondrekening) or AUDIT (accountant)."""

    __tablename__ = "realisation_report"

    provider_id: str = Field(foreign_key="provider.id", index=True)
    year: int = Field(index=True)
    period: str = Field(max_length=8)  # RealisationPeriod
    received_date: date
    staff_costs: Decimal = Field(sa_type=Money)  # realised extra staff costs, cumulative
    other_costs: Decimal = Field(sa_type=Money)  # realised other investments, cumulative
    fte_baseline: Decimal | None = Field(default=None, sa_type=Money)  # fte 2018 (reference)
    fte_realised: Decimal | None = Field(default=None, sa_type=Money)  # fte at the period end
    fte_planned: Decimal | None = Field(default=None, sa_type=Money)  # extra fte in the begroting
    clients: int | None = None  # clients VV4-VV10 (ZZP/VPT)
    clients_baseline: int | None = None  # clients VV4-VV10 in 2018
    sv_wages: Decimal | None = Field(default=None, sa_type=Money)  # rondrekening: SV-loon
    sv_days: int | None = None  # rondrekening: SV-dagen
    hired_invoices: Decimal | None = Field(default=None, sa_type=Money)  # facturen inhuur
    turnover_change: Decimal | None = Field(default=None, sa_type=Money)  # omzetontwikkeling
    note: str = ""
    author_id: str | None = Field(default=None, foreign_key="app_user.id")


class ReallocationRound(Record, table=True):
    """The herschikking of a care office and year (S1 §4.2.11), approved as one set under the
    vier-ogen rule (subject type "reallocation_round")."""

    __tablename__ = "reallocation_round"

    care_office_id: str = Field(foreign_key="care_office.id", index=True)
    year: int = Field(index=True)
    note: str = ""
    author_id: str = Field(foreign_key="app_user.id")


class ReallocationProposal(Record, table=True):
    """One provider's line in a herschikking round: the agreed budget before and after."""

    __tablename__ = "reallocation_proposal"

    round_id: str = Field(foreign_key="reallocation_round.id", index=True)
    budget_request_id: str = Field(foreign_key="budget_request.id", index=True)
    provider_id: str = Field(foreign_key="provider.id")
    previous_total: Decimal = Field(sa_type=Money)
    new_staff: Decimal = Field(sa_type=Money)
    new_other: Decimal = Field(sa_type=Money)
    reason: str = ""
    signal: str = Field(default="", max_length=30)  # the monitoring signal it was prefilled from


class FinalSettlement(Record, table=True):
    """Nacalculatie of one agreed budget (S1 §4.2.12-4.2.13), a reviewable subject
    ("final_settlement"). Reimbursable per part never exceeds the agreed part."""

    __tablename__ = "final_settlement"

    budget_request_id: str = Field(foreign_key="budget_request.id", index=True, unique=True)
    provider_id: str = Field(foreign_key="provider.id", index=True)
    year: int = Field(index=True)
    agreed_staff: Decimal = Field(sa_type=Money)
    agreed_other: Decimal = Field(sa_type=Money)
    realised_staff: Decimal = Field(sa_type=Money)
    realised_other: Decimal = Field(sa_type=Money)
    reimbursable_staff: Decimal = Field(sa_type=Money)
    reimbursable_other: Decimal = Field(sa_type=Money)
    advanced: Decimal = Field(sa_type=Money)
    reclaim: Decimal = Field(sa_type=Money)  # advanced - reimbursable (negative: still to pay)
    extra_reimbursement: Decimal = Field(default=Decimal("0.00"), sa_type=Money)  # §4.2.13
    extra_note: str = ""
    settled_on: date | None = None
    author_id: str = Field(foreign_key="app_user.id")
