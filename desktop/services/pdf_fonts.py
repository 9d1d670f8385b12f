"""The house fonts of every PDF (pdf_style re-exports them): Liberation Sans (SIL OFL 1.1,
`resources/fonts/LICENSE-LiberationSans.txt`), embedded as TrueType subsets, with a fast path
for the many small documents the app makes (same bytes as reportlab's own path)."""

from __future__ import annotations

import threading
import zlib
from functools import lru_cache
from importlib import resources

from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FAMILY = "LiberationSans"
FONT = "LiberationSans"
FONT_BOLD = "LiberationSans-Bold"
FONT_ITALIC = "LiberationSans-Italic"
FONT_BOLD_ITALIC = "LiberationSans-BoldItalic"

_FONT_FILES = {
    FONT: "LiberationSans-Regular.ttf",
    FONT_BOLD: "LiberationSans-Bold.ttf",
    FONT_ITALIC: "LiberationSans-Italic.ttf",
    FONT_BOLD_ITALIC: "LiberationSans-BoldItalic.ttf",
}
_lock = threading.Lock()
_registered = False


# The non-ASCII characters of ordinary Dutch letters and reports. reportlab's TTF subsets start
# with printable ASCII and hand out further codes in order of first use; giving these the first
# free codes up front makes the font subset of nearly every document identical, so it is built
# and compressed once (see _FastTTFont) instead of per PDF. Costs about 1 kB per embedded font.
_PRESET_CHARS = "€–—‘’“”•…ëéèêïíöóòôüúûáàâäçÉÖ"


@lru_cache(maxsize=32)
def _compress(content: bytes) -> bytes:
    return zlib.compress(content)  # as reportlab's PDFStreamFilterZCompress


class _MemoFlate:
    """reportlab's Flate stream filter, remembering its output for the last few inputs (the
    embedded font programs, which are the same bytes from document to document)."""

    pdfname = "FlateDecode"

    @staticmethod
    def encode(content):  # noqa: ANN001, ANN205
        return _compress(content.encode("utf8") if isinstance(content, str) else content)

    @staticmethod
    def decode(encoded):  # noqa: ANN001, ANN205
        return zlib.decompress(encoded)


class _FastTTFont(TTFont):
    """TTFont tuned for many small documents (letters, reports); the PDF bytes stay exactly what
    reportlab makes for the same sequence of text (tests/test_pdf_style.py checks this).

    * splitString, which dominated letter rendering (reportlab maps every character of every
      text run through a Python loop), has a fast path: when every character already has a code
      in the first subset of this document's font state (all but the first few runs), the result
      is one run ``(0, bytes)`` of the assigned codes: one ``str.translate`` and a latin-1
      encode. Anything else (a new character, a second subset, a character the font lacks)
      takes reportlab's own path, which also assigns the codes.
    * A document's font state starts with _PRESET_CHARS assigned; the font program made for a
      subset, and its compressed form, are remembered, as they only depend on the subset.
    """

    def __init__(self, name: str, filename: str) -> None:
        super().__init__(name, filename)
        face = self.face
        make_subset, add_subset_objects = face.makeSubset, face.addSubsetObjects
        program = lru_cache(maxsize=32)(lambda codes: make_subset(list(codes)))

        def add_subset_objects_memo(doc, fontname, subset):  # noqa: ANN001, ANN202
            ref = add_subset_objects(doc, fontname, subset)
            stream = doc.idToObject.get(f"fontFile:{face.filename}({fontname})")
            if stream is not None and stream.filters == [pdfdoc.PDFZCompress]:
                stream.filters = [_MemoFlate]
            return ref

        # The same bytes object for the same subset: the compressed-stream memo hashes it once.
        face.makeSubset = lambda subset: program(tuple(subset))
        face.addSubsetObjects = add_subset_objects_memo

    def splitString(self, text, doc, encoding="utf-8"):  # noqa: ANN001, ANN201, N802 (reportlab API)
        state = self.state.get(doc)
        if state is None:
            super().splitString(_PRESET_CHARS, doc)
            state = self.state[doc]
        if isinstance(text, str) and len(state.subsets) == 1:
            assignments = state.assignments
            cache = getattr(state, "_kd_translate", None)
            if cache is None or cache[0] != len(assignments):
                table = {code: n for code, n in assignments.items() if n < 256}
                if 32 in assignments:  # upstream prints a no-break space as a space
                    table[0xA0] = assignments[32]
                cache = (len(assignments), table, frozenset(map(chr, table)))
                state._kd_translate = cache
            if cache[2].issuperset(text):
                return [(0, text.translate(cache[1]).encode("latin-1"))] if text else []
        return super().splitString(text, doc, encoding)


def font_path(name: str = FONT) -> str:
    """File system path of a shipped font file (for tests and for Qt, if needed)."""
    return str(resources.files("resources").joinpath("fonts", _FONT_FILES[name]))


def register_fonts() -> None:
    """Register the embedded house fonts with reportlab (idempotent, thread safe)."""
    global _registered
    if _registered:
        return
    with _lock:
        if _registered:
            return
        for name, filename in _FONT_FILES.items():
            path = resources.files("resources").joinpath("fonts", filename)
            with resources.as_file(path) as real:
                pdfmetrics.registerFont(_FastTTFont(name, str(real)))
        pdfmetrics.registerFontFamily(
            FAMILY, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic=FONT_BOLD_ITALIC
        )
        _registered = True
