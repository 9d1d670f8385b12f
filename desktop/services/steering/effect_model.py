"""The effect view's records: per provider, theme and location the ratings before and after
the money, the visits' merkbaar / meetbaar / voelbaar, and the regional summary."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from desktop.services.steering.agreement_model import AgreementInfo
from desktop.services.steering.allocation import (
    REALISED_UNTIL,
)
from desktop.services.themes import severity

EFFECTS = ("MERKBAAR", "MEETBAAR", "VOELBAAR")
CAVEATS = (
    "De oordelen zijn van de eigen adviseurs; er is geen vergelijkingsgroep, dus een verbetering "
    "is niet zonder meer aan het geld toe te schrijven.",
    "Het kwaliteitsbudget wordt per zorgaanbieder toegekend, niet per locatie of thema.",
    "Merkbaar, meetbaar en voelbaar zijn indrukken uit locatiebezoeken, geen metingen.",
)


def _counts_text(separator: str, *counts: tuple[int, str]) -> str:
    """'2 beter · 1 onbekend': the counts that occur with their word, or '–' when none do."""
    return separator.join(f"{n} {word}" for n, word in counts if n) or "–"


@dataclass(frozen=True)
class Investment:
    request_id: str
    year: int
    approved: Decimal
    theme_codes: tuple[str, ...]
    realised: Decimal | None = None  # the year's latest realisation report (issue 16)
    realised_period: str = ""  # allocation.REALISED_UNTIL key of that report

    @property
    def realised_text(self) -> str:
        """Dutch: "€ 812.400,00 (t/m september)" or "nog niet gemeld"."""
        from desktop.services.formatting import money

        if self.realised is None:
            return "nog niet gemeld"
        return f"{money(self.realised)} ({REALISED_UNTIL.get(self.realised_period, self.realised_period)})"


@dataclass(frozen=True)
class LocationThemeEffect:
    location_id: str
    location_name: str
    trend: tuple[tuple[int, str], ...]  # (year, rating), oldest first
    before: tuple[int, str] | None
    after: tuple[int, str] | None

    @property
    def change(self) -> int | None:
        """+n improved by n steps, -n worsened, 0 same; None without before and after."""
        if self.before is None or self.after is None:
            return None
        return (severity(self.before[1]) or 0) - (severity(self.after[1]) or 0)


@dataclass(frozen=True)
class ThemeEffect:
    code: str
    name: str
    targeted: bool
    invest_years: tuple[int, ...]  # the years whose decisions name this theme
    locations: tuple[LocationThemeEffect, ...]
    effects: dict[str, int]  # MERKBAAR/MEETBAAR/VOELBAAR -> number of verbeterpunten
    items_judged: int  # verbeterpunten on this theme seen at visits
    agreements_met: int
    agreements_missed: int
    agreements_open: int

    def count(self, sign: int) -> int:
        return sum(
            1
            for x in self.locations
            if x.change is not None and (x.change > 0) - (x.change < 0) == sign
        )

    @property
    def change_text(self) -> str:
        """'2 beter · 1 gelijk · 1 onbekend' (only the parts that occur)."""
        return _counts_text(
            " · ",
            (self.count(1), "beter"),
            (self.count(0), "gelijk"),
            (self.count(-1), "slechter"),
            (self.unknown, "onbekend"),
        )

    @property
    def agreements_text(self) -> str:
        return _counts_text(
            ", ",
            (self.agreements_met, "behaald"),
            (self.agreements_missed, "niet behaald"),
            (self.agreements_open, "lopend"),
        )

    @property
    def unknown(self) -> int:
        return sum(1 for x in self.locations if x.change is None)

    @property
    def verdict(self) -> str:
        known = len(self.locations) - self.unknown
        if not known:
            return "Niet te zeggen: geen oordeel vóór én na het geld."
        up, down = self.count(1), self.count(-1)
        text = f"Verbeterd op {up} van {known} locaties"
        if down:
            text += f", verslechterd op {down}"
        return text + "."


@dataclass(frozen=True)
class ProviderEffect:
    provider_id: str
    provider_name: str
    investments: tuple[Investment, ...]
    themes: tuple[ThemeEffect, ...]
    agreements: tuple[AgreementInfo, ...]
    unlinked_items: int  # verbeterpunten at visits that match no plan item (no theme known)
    realised: Decimal | None  # total realised (issue 16 hook), None when unknown
    notes: tuple[str, ...]  # honest remarks specific to this provider

    @property
    def total_approved(self) -> Decimal:
        return sum((i.approved for i in self.investments), Decimal(0))

    @property
    def total_realised(self) -> Decimal | None:
        """Realised over the budget years with a realisation report; None when none has one."""
        known = [i.realised for i in self.investments if i.realised is not None]
        return sum(known, Decimal(0)) if known else None

    def theme(self, code: str) -> ThemeEffect:
        return next(t for t in self.themes if t.code == code)


@dataclass(frozen=True)
class RegionalThemeEffect:
    code: str
    name: str
    providers: int  # invested providers whose decision names this theme
    improved: int  # locations
    same: int
    worsened: int
    unknown: int


@dataclass(frozen=True)
class RegionalEffect:
    region_name: str
    year: int
    invested: Decimal
    providers: int
    themes: tuple[RegionalThemeEffect, ...]
    untargeted: RegionalThemeEffect  # all themes no decision named, for comparison
