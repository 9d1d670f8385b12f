"""Look and feel: one calm palette, rating colours that also carry text and shape."""

from __future__ import annotations

from dataclasses import dataclass

ACCENT = "#1f5f8b"
ACCENT_DARK = "#174a6d"
ACCENT_LIGHT = "#e8f1f8"
TEXT = "#1d2733"
MUTED = "#5b6b7b"
BORDER = "#d5dde5"
SURFACE = "#ffffff"
BACKGROUND = "#f4f6f8"
ERROR = "#b3261e"


@dataclass(frozen=True)
class RatingStyle:
    background: str
    foreground: str
    symbol: str  # shape, so the scale reads without colour
    label: str


# Goed / Voldoende / Matig / Onvoldoende (DOMAIN.md §3.4). Colour-blind safe-ish pairs, and
# every cell also shows the symbol and the word.
RATING_STYLES: dict[str, RatingStyle] = {
    "GOOD": RatingStyle("#2e7d4f", "#ffffff", "●", "Goed"),
    "SUFFICIENT": RatingStyle("#a8d5a2", "#123018", "◐", "Voldoende"),
    "MODERATE": RatingStyle("#f4c35a", "#3d2b00", "▲", "Matig"),
    "INSUFFICIENT": RatingStyle("#c0392b", "#ffffff", "✖", "Onvoldoende"),
}
NO_RATING = RatingStyle("#eceff1", "#5b6b7b", "–", "Niet beoordeeld")


def rating_style(code: str | None) -> RatingStyle:
    return RATING_STYLES.get(code or "", NO_RATING)


STYLESHEET = f"""
QMainWindow, QDialog {{ background: {BACKGROUND}; }}
QWidget {{ color: {TEXT}; }}
QWidget#sidePanel {{ background: {ACCENT_DARK}; }}
QLabel#brand {{
    color: white; font-size: 13pt; padding: 14px 14px 10px 14px; background: {ACCENT_DARK};
}}
QLabel#sideUser {{
    color: #cfe0ec; padding: 10px 14px 12px 14px; border-top: 1px solid #2a6790;
    background: {ACCENT_DARK};
}}
QListWidget#sectionBar {{
    background: {ACCENT_DARK}; border: none; color: #e9f1f7; padding-top: 6px;
    font-size: 10.5pt; outline: 0;
}}
QListWidget#sectionBar::item {{ padding: 9px 14px; border-left: 3px solid transparent; }}
QListWidget#sectionBar::item:selected {{
    background: {ACCENT}; color: white; border-left: 3px solid #9fd3f5;
}}
QListWidget#sectionBar::item:hover:!selected {{ background: #1c587f; }}
QLineEdit, QPlainTextEdit, QTextEdit, QComboBox, QDateEdit, QTimeEdit, QSpinBox, QDoubleSpinBox {{
    background: {SURFACE}; border: 1px solid {BORDER}; border-radius: 4px; padding: 4px 6px;
}}
QLineEdit:focus, QPlainTextEdit:focus, QTextEdit:focus, QComboBox:focus {{
    border: 1px solid {ACCENT};
}}
QLineEdit[invalid="true"], QPlainTextEdit[invalid="true"], QComboBox[invalid="true"] {{
    border: 1px solid {ERROR}; background: #fff6f5;
}}
QTreeView, QTableView, QListView {{
    background: {SURFACE}; border: 1px solid {BORDER}; border-radius: 4px;
    selection-background-color: {ACCENT_LIGHT}; selection-color: {TEXT};
    alternate-background-color: #f8fafb;
}}
QHeaderView::section {{
    background: #eef2f5; border: none; border-bottom: 1px solid {BORDER};
    padding: 5px 6px; font-weight: 600; color: {MUTED};
}}
QPushButton {{
    background: {SURFACE}; border: 1px solid {BORDER}; border-radius: 4px; padding: 5px 12px;
}}
QPushButton:hover {{ border-color: {ACCENT}; }}
QPushButton:default, QPushButton[primary="true"] {{
    background: {ACCENT}; color: white; border: 1px solid {ACCENT_DARK};
}}
QPushButton:disabled {{ color: #9aa7b3; background: #f0f2f4; }}
QTabWidget::pane {{ border: 1px solid {BORDER}; border-radius: 4px; background: {SURFACE}; top: -1px; }}
QTabBar::tab {{ padding: 6px 14px; border: 1px solid transparent; color: {MUTED}; }}
QTabBar::tab:selected {{
    background: {SURFACE}; border: 1px solid {BORDER}; border-bottom-color: {SURFACE};
    color: {TEXT}; font-weight: 600;
}}
QFrame#card {{ background: {SURFACE}; border: 1px solid {BORDER}; border-radius: 6px; }}
QLabel#pageTitle {{ font-size: 16pt; font-weight: 600; }}
QLabel#pageSubtitle {{ color: {MUTED}; font-size: 10.5pt; }}
QLabel#sectionTitle {{ font-size: 11.5pt; font-weight: 600; }}
QLabel#muted {{ color: {MUTED}; }}
QLabel#fieldError {{ color: {ERROR}; }}
QStatusBar {{ background: #e9edf1; color: {MUTED}; }}
"""
