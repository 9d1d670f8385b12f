"""Look and feel: one calm palette, rating colours that also carry text and shape.

Accessibility (WCAG 2.1 AA, issue 21): every colour pair the stylesheet puts text or a
meaningful line on is listed in `CONTRAST_PAIRS` with its minimum (4.5:1 text, 3:1 borders,
meaning-carrying fills and the focus ring) and checked by tests/test_accessibility.py; the
focus indicator is defined once here (`:focus` rules below)."""

from __future__ import annotations

from dataclasses import dataclass

ACCENT = "#1f5f8b"
ACCENT_DARK = "#174a6d"
ACCENT_LIGHT = "#e8f1f8"
TEXT = "#1d2733"
MUTED = "#5b6b7b"
BORDER = "#d5dde5"  # decorative dividers only (pane edges, header rules); not for controls
CONTROL_BORDER = "#7d8b99"  # edges that identify a control: inputs, buttons, theme cards (>= 3:1)
FOCUS = "#0b57d0"  # the keyboard focus ring on light surfaces
FOCUS_ON_DARK = "#ffffff"  # ... and on the dark section bar
SUCCESS_TEXT = "#24663f"  # "▲ beter", "op schema": green text that stays >= 4.5:1 on tints
WARNING_TEXT = "#8a5a00"  # amber text ("bijna", "aandachtspunt") >= 4.5:1 on white/alt rows
ALT_ROW = "#f8fafb"
HEADER_BG = "#eef2f5"
SIDE_TEXT = "#e9f1f7"
SIDE_MUTED = "#cfe0ec"
SIDE_HOVER = "#1c587f"
SIDE_MARK = "#9fd3f5"
DISABLED_TEXT = "#9aa7b3"  # inactive controls are exempt from 1.4.3; kept readable anyway
DISABLED_BG = "#f0f2f4"
SURFACE = "#ffffff"
BACKGROUND = "#f4f6f8"
ERROR = "#b3261e"
NOTE_BACKGROUND = "#fff4e0"  # an amber notice: form notes, "correctie" banner, draft bar
NOTE_BORDER = "#f0c987"
NOTE_TEXT = "#3d2b00"
REPEAT_ROW_BACKGROUND = "#f7f9fb"  # one row of a repeat in a form
REPEAT_ROW_BORDER = "#e1e7ed"
ERROR_BG = "#fff6f5"  # behind a refusal: error banners, invalid fields
ERROR_DARK = "#7a1a14"  # dark red text: a rejection comment, "eigen werk"
SUCCESS_BG = "#eef7f0"  # behind a "done" banner
SUCCESS_DARK = "#1e5e36"  # dark green text on SUCCESS_BG and white (headroom left)
SUCCESS_EDGE = "#2e7d4f"  # the edge of a "done" banner
SHADOW = "#33000000"  # 20 % black (#aarrggbb): the faint outline around painted marks
PREVIEW_BACKGROUND = "#e6e9ed"  # behind the pages of a PDF preview (letters)


@dataclass(frozen=True)
class RatingStyle:
    background: str
    foreground: str
    symbol: str  # shape, so the scale reads without colour
    label: str
    edge: str = ""  # outline for light fills, so the fill stands out >= 3:1 from white


# Goed / Voldoende / Matig / Onvoldoende (DOMAIN.md §3.4). Colour-blind safe-ish pairs, and
# every cell also shows the symbol and the word.
RATING_STYLES: dict[str, RatingStyle] = {
    "GOOD": RatingStyle("#2e7d4f", "#ffffff", "●", "Goed"),
    "SUFFICIENT": RatingStyle("#a8d5a2", "#123018", "◐", "Voldoende", "#3f7a3a"),
    "MODERATE": RatingStyle("#f4c35a", "#3d2b00", "▲", "Matig", "#946400"),
    "INSUFFICIENT": RatingStyle("#c0392b", "#ffffff", "✖", "Onvoldoende"),
}
NO_RATING = RatingStyle("#eceff1", "#5b6b7b", "–", "Niet beoordeeld")


def rating_style(code: str | None) -> RatingStyle:
    return RATING_STYLES.get(code or "", NO_RATING)


def rating_edge(code: str | None) -> str:
    """The colour that separates a rating fill from a white surface (its outline, or the fill)."""
    st = rating_style(code)
    return st.edge or st.background


def relative_luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance of '#rrggbb'."""
    h = colour.lstrip("#")
    channels = [int(h[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast_ratio(a: str, b: str) -> float:
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


TEXT_MIN, NON_TEXT_MIN = 4.5, 3.0

# (foreground, background, minimum, where) for every pair the UI draws; checked by the tests.
CONTRAST_PAIRS: list[tuple[str, str, float, str]] = [
    (TEXT, SURFACE, TEXT_MIN, "tekst op wit"),
    (TEXT, BACKGROUND, TEXT_MIN, "tekst op achtergrond"),
    (TEXT, ALT_ROW, TEXT_MIN, "tekst op afwisselende rij"),
    (TEXT, ACCENT_LIGHT, TEXT_MIN, "tekst op geselecteerde rij"),
    (MUTED, SURFACE, TEXT_MIN, "grijze tekst op wit"),
    (MUTED, BACKGROUND, TEXT_MIN, "grijze tekst op achtergrond"),
    (MUTED, ALT_ROW, TEXT_MIN, "grijze tekst op afwisselende rij"),
    (MUTED, ACCENT_LIGHT, TEXT_MIN, "grijze tekst op geselecteerde rij"),
    (MUTED, HEADER_BG, TEXT_MIN, "kolomkop"),
    (MUTED, "#e9edf1", TEXT_MIN, "statusbalk"),
    (ERROR, SURFACE, TEXT_MIN, "foutmelding op wit"),
    (ERROR, BACKGROUND, TEXT_MIN, "foutmelding op achtergrond"),
    (ERROR, "#fff6f5", TEXT_MIN, "foutmelding in ongeldig veld"),
    (ERROR, ACCENT_LIGHT, TEXT_MIN, "▼ slechter op geselecteerde rij"),
    (SUCCESS_TEXT, SURFACE, TEXT_MIN, "▲ beter op wit"),
    (SUCCESS_TEXT, ACCENT_LIGHT, TEXT_MIN, "▲ beter op geselecteerde rij"),
    (SUCCESS_TEXT, ALT_ROW, TEXT_MIN, "groene status op afwisselende rij"),
    (WARNING_TEXT, SURFACE, TEXT_MIN, "oranje status op wit"),
    (WARNING_TEXT, ALT_ROW, TEXT_MIN, "oranje status op afwisselende rij"),
    ("#ffffff", ACCENT, TEXT_MIN, "knop met accentkleur"),
    ("#ffffff", ACCENT_DARK, TEXT_MIN, "knop met accentkleur, focus"),
    ("#ffffff", ACCENT_DARK, TEXT_MIN, "titel in de zijbalk"),
    (SIDE_TEXT, ACCENT_DARK, TEXT_MIN, "onderdelen in de zijbalk"),
    (SIDE_MUTED, ACCENT_DARK, TEXT_MIN, "gebruiker in de zijbalk"),
    (SIDE_TEXT, SIDE_HOVER, TEXT_MIN, "onderdeel onder de muis"),
    (CONTROL_BORDER, SURFACE, NON_TEXT_MIN, "rand van invoerveld en knop op wit"),
    (CONTROL_BORDER, BACKGROUND, NON_TEXT_MIN, "rand van knop op achtergrond"),
    (FOCUS, SURFACE, NON_TEXT_MIN, "focusrand op wit"),
    (FOCUS, BACKGROUND, NON_TEXT_MIN, "focusrand op achtergrond"),
    (FOCUS, ACCENT_LIGHT, NON_TEXT_MIN, "focusrand op geselecteerde kaart"),
    (TEXT, BACKGROUND, NON_TEXT_MIN, "focusrand van accentknop"),
    (FOCUS_ON_DARK, ACCENT_DARK, NON_TEXT_MIN, "focusrand in de zijbalk"),
    (FOCUS_ON_DARK, ACCENT, NON_TEXT_MIN, "focusrand op gekozen onderdeel"),
    (ACCENT, SURFACE, NON_TEXT_MIN, "rand van geselecteerde kaart"),
    (NOTE_TEXT, NOTE_BACKGROUND, TEXT_MIN, "tekst in een opmerking of melding"),
    (ERROR_DARK, ERROR_BG, TEXT_MIN, "afkeuring voor de opsteller"),
    (ERROR_DARK, SURFACE, TEXT_MIN, "eigen werk in de beoordeling"),
    (SUCCESS_DARK, SUCCESS_BG, TEXT_MIN, "melding: opgeslagen"),
    (SUCCESS_DARK, SURFACE, TEXT_MIN, "groene ruimte onder het plafond"),
    (SUCCESS_EDGE, SUCCESS_BG, NON_TEXT_MIN, "rand van melding: opgeslagen"),
]
for _code, _st in [*RATING_STYLES.items(), ("", NO_RATING)]:
    CONTRAST_PAIRS.append((_st.foreground, _st.background, TEXT_MIN, f"tekst op {_st.label}"))
    if _code:
        CONTRAST_PAIRS.append(
            (rating_edge(_code), SURFACE, NON_TEXT_MIN, f"vlak {_st.label} op wit")
        )
        CONTRAST_PAIRS.append(
            (rating_edge(_code), ALT_ROW, NON_TEXT_MIN, f"vlak {_st.label} op afwisselende rij")
        )


BASE_PT = 9.0  # the point size the sizes below were designed at

_FIELDS = "QLineEdit, QPlainTextEdit, QTextEdit, QComboBox, QDateEdit, QTimeEdit, QSpinBox, QDoubleSpinBox"
_FIELDS_FOCUS = ", ".join(f"{w.strip()}:focus" for w in _FIELDS.split(","))


def build_stylesheet(base_pt: float = BASE_PT) -> str:
    """The stylesheet with its font sizes relative to the system font (`base_pt`), so titles
    grow with a larger system font instead of staying at fixed points."""

    def pt(size: float) -> str:
        return f"{size * base_pt / BASE_PT:.1f}pt"

    return f"""
QMainWindow, QDialog {{ background: {BACKGROUND}; }}
QWidget {{ color: {TEXT}; }}
QWidget#sidePanel {{ background: {ACCENT_DARK}; }}
QLabel#brand {{
    color: white; font-size: {pt(13)}; padding: 14px 14px 10px 14px; background: {ACCENT_DARK};
}}
QLabel#sideUser {{
    color: {SIDE_MUTED}; padding: 10px 14px 12px 14px; border-top: 1px solid #2a6790;
    background: {ACCENT_DARK};
}}
QListWidget#sectionBar {{
    background: {ACCENT_DARK}; border: none; color: {SIDE_TEXT}; padding-top: 6px;
    font-size: {pt(10.5)};
}}
QListWidget#sectionBar::item {{ padding: 7px 12px; border: 2px solid transparent;
    border-left: 3px solid transparent; }}
QListWidget#sectionBar::item:selected {{
    background: {ACCENT}; color: white; border-left: 3px solid {SIDE_MARK};
}}
QListWidget#sectionBar::item:hover:!selected {{ background: {SIDE_HOVER}; }}
QListWidget#sectionBar::item:focus {{ border: 2px solid {FOCUS_ON_DARK}; border-left: 3px solid {FOCUS_ON_DARK}; }}
{_FIELDS} {{
    background: {SURFACE}; border: 1px solid {CONTROL_BORDER}; border-radius: 4px; padding: 4px 6px;
}}
{_FIELDS_FOCUS} {{
    border: 2px solid {FOCUS}; padding: 3px 5px;
}}
QLineEdit[invalid="true"], QPlainTextEdit[invalid="true"], QComboBox[invalid="true"] {{
    border: 1px solid {ERROR}; background: #fff6f5;
}}
QLineEdit[invalid="true"]:focus, QPlainTextEdit[invalid="true"]:focus, QComboBox[invalid="true"]:focus {{
    border: 2px solid {ERROR}; padding: 3px 5px;
}}
QScrollArea[focusable="true"] {{ border: 2px solid transparent; border-radius: 4px; }}
QTreeView, QTableView, QListView, QTextBrowser {{
    background: {SURFACE}; border: 1px solid {BORDER}; border-radius: 4px;
    selection-background-color: {ACCENT_LIGHT}; selection-color: {TEXT};
    alternate-background-color: {ALT_ROW};
}}
QTreeView:focus, QTableView:focus, QListView:focus, QTextBrowser:focus, QScrollArea:focus {{
    border: 2px solid {FOCUS};
}}
QTreeView::item:focus, QTableView::item:focus, QListView::item:focus {{
    border: 2px solid {FOCUS};
}}
QHeaderView::section {{
    background: {HEADER_BG}; border: none; border-bottom: 1px solid {BORDER};
    padding: 5px 6px; font-weight: 600; color: {MUTED};
}}
QPushButton, QToolButton {{
    background: {SURFACE}; border: 1px solid {CONTROL_BORDER}; border-radius: 4px; padding: 5px 12px;
}}
QToolButton {{ padding: 3px 6px; }}
QPushButton:hover, QToolButton:hover {{ border-color: {ACCENT}; }}
QPushButton:default, QPushButton[primary="true"] {{
    background: {ACCENT}; color: white; border: 1px solid {ACCENT_DARK};
}}
QPushButton:focus, QToolButton:focus {{ border: 2px solid {FOCUS}; padding: 4px 11px; }}
QToolButton:focus {{ padding: 2px 5px; }}
QPushButton:default:focus, QPushButton[primary="true"]:focus {{
    background: {ACCENT_DARK}; border: 2px solid {TEXT}; text-decoration: underline;
}}
QPushButton:disabled {{ color: {DISABLED_TEXT}; background: {DISABLED_BG}; border-color: {BORDER}; }}
QCheckBox, QRadioButton {{ border: 2px solid transparent; border-radius: 3px; padding: 1px 2px; }}
QCheckBox:focus, QRadioButton:focus {{ border: 2px solid {FOCUS}; background: {ACCENT_LIGHT}; }}
QGroupBox:focus {{ border: 2px solid {FOCUS}; }}
QTabWidget::pane {{ border: 1px solid {BORDER}; border-radius: 4px; background: {SURFACE}; top: -1px; }}
QTabBar::tab {{ padding: 5px 12px; border: 2px solid transparent; color: {MUTED}; }}
QTabBar::tab:selected {{
    background: {SURFACE}; border: 1px solid {BORDER}; border-bottom-color: {SURFACE};
    color: {TEXT}; font-weight: 600; padding: 6px 13px;
}}
QTabBar::tab:focus {{ border: 2px solid {FOCUS}; padding: 5px 12px; text-decoration: underline; }}
QFrame#card {{ background: {SURFACE}; border: 1px solid {BORDER}; border-radius: 6px; }}
QFrame#card[focusable="true"] {{ border: 1px solid {CONTROL_BORDER}; }}
QFrame#card:focus {{ border: 2px solid {FOCUS}; }}
QLabel#pageTitle {{ font-size: {pt(16)}; font-weight: 600; }}
QLabel#pageSubtitle {{ color: {MUTED}; font-size: {pt(10.5)}; }}
QLabel#sectionTitle {{ font-size: {pt(11.5)}; font-weight: 600; }}
QLabel#muted {{ color: {MUTED}; }}
QLabel#fieldError {{ color: {ERROR}; }}
QStatusBar {{ background: #e9edf1; color: {MUTED}; }}
"""


STYLESHEET = build_stylesheet()


def apply(app) -> None:  # type: ignore[no-untyped-def]
    """Fusion style, the stylesheet scaled to the application's font, and the keyboard and
    screen-reader rules of desktop/ui/a11y.py."""
    from desktop.ui import a11y

    a11y.install(app)  # Fusion with the accessibility rules applied at polish time
    app.setStyleSheet(
        build_stylesheet(app.font().pointSizeF() if app.font().pointSizeF() > 0 else BASE_PT)
    )
