"""The address block in the envelope window: wrapped or shortened to fit, or refused.

DOMAIN.md §8.2 / P-NEN: letters fit a window envelope (NEN 1026 / NEN 1025); the window is
configurable per care office (EnvelopeWindow). A line wider than the window is wrapped at word
boundaries; when the block then has more lines than the window holds, known long titles in the
"t.a.v." line are shortened. What still does not fit is reported, and a definitive letter with
it is refused (service.check_complete); a concept shows the wrapped block anyway.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from desktop.services import pdf_style as ps
from desktop.services.letters.model import Addressee, EnvelopeWindow

FONT_SIZE = 10
LEADING = 12  # points between address lines (render.py draws at this step)
RETURN_LINE_MM = 4.0  # the "Retouradres" line above the address
DESCENT = 2.5  # points below the last baseline
# Shortenings for the "t.a.v." line, applied only when the block does not fit otherwise.
_SHORTER = (
    ("t.a.v. de ", "t.a.v. "),
    ("Raad van Bestuur", "RvB"),
    ("Raad van Toezicht", "RvT"),
    ("Raad van bestuur", "RvB"),
    ("Bestuurssecretariaat", "Bestuurssecr."),
)


@dataclass(frozen=True)
class AddressBlock:
    lines: tuple[str, ...]
    fits: bool
    problem: str  # Dutch, "" when it fits
    width_mm: float  # the text width available in the window


def text_width_mm(window: EnvelopeWindow) -> float:
    return window.width_mm - 2 * window.padding_mm


def max_lines(window: EnvelopeWindow, with_return_line: bool = True) -> int:
    usable = (
        window.height_mm - 2 * window.padding_mm - (RETURN_LINE_MM if with_return_line else 0)
    ) * mm
    return max(0, int((usable - DESCENT) // LEADING))


def _wrap(line: str, width: float) -> list[str] | None:
    """Greedy word wrap; None when one word alone is wider than the window. A line that fits
    stays as it is (the two spaces between postcode and place, DOMAIN.md §8.2)."""
    if stringWidth(line, ps.FONT, FONT_SIZE) <= width:
        return [line]
    head, sep, tail = line.partition(", ")
    if sep and stringWidth(head + ",", ps.FONT, FONT_SIZE) <= width:
        # "t.a.v. de heer B. Molenaar," / "voorzitter Raad van Bestuur": break at the comma.
        rest = _wrap(tail, width)
        return None if rest is None else [head + ",", *rest]
    words = line.split()
    out: list[str] = []
    cur = ""
    for w in words:
        if stringWidth(w, ps.FONT, FONT_SIZE) > width:
            return None
        trial = f"{cur} {w}".strip()
        if stringWidth(trial, ps.FONT, FONT_SIZE) <= width:
            cur = trial
        else:
            out.append(cur)
            cur = w
    if cur:
        out.append(cur)
    return out


@lru_cache(maxsize=2048)
def address_block(
    addressee: Addressee, window: EnvelopeWindow, with_return_line: bool = True
) -> AddressBlock:
    width_mm = text_width_mm(window)
    width = width_mm * mm
    limit = max_lines(window, with_return_line)
    logical = list(addressee.lines)
    for attempt in range(len(_SHORTER) + 1):
        if attempt:
            old, new = _SHORTER[attempt - 1]
            logical = [
                ln.replace(old, new) if ln.lower().startswith("t.a.v.") else ln for ln in logical
            ]
        wrapped: list[str] = []
        too_wide = ""
        for ln in logical:
            parts = _wrap(ln, width)
            if parts is None:
                too_wide = ln
                parts = [ln]
            wrapped += parts
        if not too_wide and len(wrapped) <= limit:
            return AddressBlock(tuple(wrapped), True, "", width_mm)
    if too_wide:
        problem = (
            f"De adresregel '{too_wide}' past niet in het venster van de envelop "
            f"({width_mm:g} mm tekstbreedte)."
        )
    else:
        problem = (
            f"Het adres heeft {len(wrapped)} regels, maar het venster van de envelop biedt "
            f"ruimte aan {limit}."
        )
    return AddressBlock(tuple(wrapped), False, problem, width_mm)
