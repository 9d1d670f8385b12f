"""Reading a CSV file the way Excel writes it: UTF-8 with or without BOM (Windows-1252 as a
fallback), `;` or `,` as delimiter; and the preview the import dialog shows."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from db.errors import ValidationError
from desktop.services.validation import readable_file

# Control characters other than tab/newline: never stored (issue 14 hardening).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _read_text(path: Path) -> str:
    with readable_file(path):
        raw = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError(
        "file", f"{path} is geen leesbaar tekstbestand (CSV)."
    )  # pragma: no cover


def _delimiter(header_line: str) -> str:
    return ";" if header_line.count(";") >= header_line.count(",") else ","


def _norm_header(name: str) -> str:
    return name.strip().lower().replace(" ", "_").replace("-", "_")


def first_line(path: Path, text: str) -> str:
    """The header line; ValidationError("file") in Dutch when the file is empty."""
    first = text.lstrip("\ufeff").splitlines()[0] if text.strip() else ""
    if not first.strip():
        raise ValidationError(
            "file", f"{path.name} is leeg: de eerste regel moet de kolomnamen bevatten."
        )
    return first


@dataclass(frozen=True)
class Preview:
    """The first rows of a CSV file as the desktop import dialog shows them (issue 14)."""

    header: tuple[str, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]  # (line number in the file, cells)
    total: int  # data rows in the file


def preview_csv(path: Path | str, limit: int = 500) -> Preview:
    """Read the file the way import_csv does (encoding, delimiter); nothing is validated here."""
    path = Path(path)
    text = _read_text(path)
    first = first_line(path, text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first))
    header = tuple(h.strip() for h in next(reader))
    rows: list[tuple[int, tuple[str, ...]]] = []
    total = 0
    for values in reader:
        if not any(c.strip() for c in values):
            continue
        total += 1
        if len(rows) < limit:
            rows.append((reader.line_num, tuple(values)))
    return Preview(header, tuple(rows), total)
