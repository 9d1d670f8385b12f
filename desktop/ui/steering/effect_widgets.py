"""Tab "Effect per zorgaanbieder", the view: the widgets (provider choice, effect per theme,
agreements, intervention ladder, signals, caveats) and how an EffectBundle fills them. The
behaviour (loading, the dialogs, the PDF) is in effect_view.py."""

from __future__ import annotations

from typing import Any

from desktop.services import formatting
from desktop.services.steering.effect import CAVEATS
from desktop.services.steering.view_data import EffectBundle
from desktop.ui.master_detail import detail_page
from desktop.ui.qt import (
    QComboBox,
    QFont,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    Qt,
    QWidget,
)
from desktop.ui.requests.common import Banner, fill_table, make_table, section_card
from desktop.ui.style import rating_style
from desktop.ui.widgets import button_row, muted_label, title_label

TARGET = "◆ "


def _wrapping_table(headers: list[str], name: str, min_height: int, stretch: int) -> Any:
    """A table whose cells wrap, with one stretching column (the long text)."""
    table = make_table(headers, name)
    table.setMinimumHeight(min_height)
    table.setWordWrap(True)
    table.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    table.horizontalHeader().setStretchLastSection(False)
    return table


def signal_cells(s: Any) -> list[str]:
    """A signal as table cells: kind, text (noting a running intervention), suggested step."""
    from desktop.services.steering.interventions import STEP_LABELS

    return [
        s.kind_label,
        s.text + (" Er loopt al een interventie." if s.has_open_intervention else ""),
        STEP_LABELS[s.suggested_step],
    ]


def _pair(p: tuple[int, str] | None) -> str:
    if p is None:
        return "–"
    st = rating_style(p[1])
    return f"{st.symbol} {st.label.lower()} ({p[0]})"


class EffectViewWidgets(QScrollArea):
    """The widgets of the tab and how a bundle is shown in them; EffectView adds the behaviour."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bundle: EffectBundle | None = None
        _, lay = detail_page(self, margins=(0, 8, 8, 8), spacing=None)
        bar = QHBoxLayout()
        self.provider = QComboBox()
        self.provider.setMinimumWidth(280)
        self.provider.setAccessibleName("Zorgaanbieder")
        lbl = QLabel("Zorgaanbieder")
        lbl.setBuddy(self.provider)
        bar.addWidget(lbl)
        bar.addWidget(self.provider, 1)
        self.pdf_button = QPushButton("Kwaliteitsmonitor (PDF)…")
        bar.addWidget(self.pdf_button)
        lay.addLayout(bar)
        self.banner = Banner()
        lay.addWidget(self.banner)
        self.headline = QLabel("Kies een zorgaanbieder.")
        self.headline.setWordWrap(True)
        self.headline.setTextFormat(Qt.TextFormat.RichText)
        lay.addWidget(self.headline)

        card, cl = section_card(
            "Per thema: oordelen voor en na het geld, merkbaar · meetbaar · voelbaar"
        )
        self.themes = make_table(
            [
                "Thema",
                "Doel in",
                "Locaties voor → na",
                "Uitkomst",
                "Merkbaar",
                "Meetbaar",
                "Voelbaar",
                "Afspraken",
            ]
        )
        self.themes.setAccessibleName("Effect per thema")
        self.themes.setMinimumHeight(300)
        self.themes.setWordWrap(True)
        self.themes.verticalHeader().setDefaultSectionSize(44)
        th = self.themes.horizontalHeader()
        th.setStretchLastSection(False)
        for col, width in ((0, 220), (2, 175)):
            th.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            th.resizeSection(col, width)
        th.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        cl.addWidget(self.themes)
        cl.addWidget(
            muted_label(
                "◆ = thema waarop een besluit het geld richt. Per locatie het oordeel vóór en na: "
                "wijs een regel aan (tooltip) of zie de kwaliteitsmonitor."
            )
        )
        lay.addWidget(card)

        card, cl = section_card("Maatwerkafspraken")
        self.agreements = _wrapping_table(
            [
                "Thema's · locaties",
                "Beoogd resultaat",
                "Termijn",
                "Toets",
                "Status",
                "Laatste toets",
            ],
            "Maatwerkafspraken",
            150,
            stretch=1,
        )
        cl.addWidget(self.agreements)
        self.new_agreement = QPushButton("Nieuwe afspraak…")
        self.check_button = QPushButton("Toetsen…")
        cl.addWidget(button_row([self.new_agreement, self.check_button]))
        lay.addWidget(card)

        card, cl = section_card("Interventies (escalatieladder)")
        self.ladder = _wrapping_table(
            ["Stap", "Sinds", "Eigenaar", "Wat", "Termijn", "Vervolg", "Status"],
            "Interventies",
            120,
            stretch=3,
        )
        cl.addWidget(self.ladder)
        self.start_button = QPushButton("Interventie starten…")
        self.escalate_button = QPushButton("Opschalen…")
        self.close_button = QPushButton("Afsluiten…")
        cl.addWidget(button_row([self.start_button, self.escalate_button, self.close_button]))
        cl.addWidget(title_label("Signalen: waar een interventie kan beginnen", "sectionTitle"))
        self.signals = _wrapping_table(
            ["Signaal", "Toelichting", "Voorgestelde stap"], "Signalen", 110, stretch=1
        )
        cl.addWidget(self.signals)
        self.from_signal = QPushButton("Interventie starten bij dit signaal…")
        cl.addWidget(self.from_signal, 0, Qt.AlignmentFlag.AlignLeft)
        lay.addWidget(card)

        self.caveats = QLabel()
        self.caveats.setWordWrap(True)
        self.caveats.setObjectName("muted")
        lay.addWidget(self.caveats)
        lay.addStretch(1)

    def show_bundle(self, b: EffectBundle) -> None:
        if b.effect.provider_id != self.provider.currentData():
            return
        self.bundle = b
        e, money = b.effect, formatting.money
        targeted = [t for t in e.themes if t.targeted]
        up = sum(t.count(1) for t in targeted)
        known = sum(len(t.locations) - t.unknown for t in targeted)
        met = sum(1 for a in e.agreements if a.status == "MET")
        missed = sum(1 for a in e.agreements if a.status == "MISSED")
        years = ", ".join(f"{i.year}: {money(i.approved)}" for i in e.investments) or "geen"
        aim = (
            f"op de doelthema's {', '.join(t.code for t in targeted)} is het oordeel in {up} van de "
            f"{known} te vergelijken gevallen (locatie × thema) verbeterd"
            if targeted
            else "geen besluit noemt doelthema's"
        )
        self.headline.setText(
            f"<b>Afgesproken:</b> {len(e.agreements)} maatwerkafspraken ({met} behaald, {missed} niet behaald). "
            f"<b>Gekost:</b> {money(e.total_approved)} toegekend ({years}); gerealiseerd "
            f"{'nog niet gemeld' if e.total_realised is None else money(e.total_realised)}. "
            f"<b>Beter?</b> {aim}. <b>Interventies:</b> "
            f"{sum(1 for i in b.interventions if i.is_open)} lopend."
        )
        rows, data = [], []
        for t in e.themes:
            rows.append(
                [
                    (TARGET if t.targeted else "") + f"{t.code} {t.name}",
                    ", ".join(map(str, t.invest_years)) or "–",
                    t.change_text,
                    t.verdict,
                    str(t.effects["MERKBAAR"]),
                    str(t.effects["MEETBAAR"]),
                    str(t.effects["VOELBAAR"]),
                    t.agreements_text,
                ]
            )
            data.append(t)
        bold = QFont()
        bold.setBold(True)

        def paint(r: int, c: int, item: Any) -> None:
            if data[r].targeted and c in (0, 3):
                item.setFont(bold)
            if c == 2:
                item.setToolTip(
                    "\n".join(
                        f"{x.location_name}: {_pair(x.before)} → {_pair(x.after)}"
                        for x in data[r].locations
                    )
                )

        fill_table(self.themes, rows, data, paint)
        fill_table(
            self.agreements,
            [
                [
                    a.scope_text,
                    a.result_text,
                    formatting.short_date(a.due_date),
                    a.method_label,
                    a.status_label,
                    (
                        f"{formatting.short_date(a.checks[-1].checked_on)}, "
                        f"{a.checks[-1].source_label}"
                    )
                    if a.checks
                    else "–",
                ]
                for a in e.agreements
            ],
            list(e.agreements),
        )
        fill_table(
            self.ladder,
            [
                [
                    f"{i.step_number}. {i.step_label}",
                    formatting.short_date(i.started_on),
                    i.owner_name or "–",
                    i.description
                    + (
                        f" (IGJ-melding {formatting.short_date(i.igj_reported_on)})"
                        if i.igj_reported_on
                        else ""
                    ),
                    formatting.short_date(i.deadline) or "–",
                    formatting.short_date(i.follow_up_on) or "–",
                    i.status_label,
                ]
                for i in b.interventions
            ],
            list(b.interventions),
        )
        fill_table(self.signals, [signal_cells(s) for s in b.signals], list(b.signals))
        self.caveats.setText("Wat deze cijfers niet zeggen: " + " ".join((*CAVEATS, *e.notes)))
