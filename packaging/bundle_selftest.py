"""Checks, from inside the PyInstaller bundle, that what the app loads dynamically is packed.

Run as `kwaliteitsdialoog --bundle-selftest [--json]` (handled by packaging/entry.py, so it
exists only in the bundle). Each check exercises the real code path: reference data through
importlib.resources, the Alembic environment and revisions, keyring backends via their entry
points, Faker's nl_NL locale, Babel's Dutch locale data, a reportlab PDF with the bundled fonts
rendered back by pypdfium2's binary, the PostgreSQL dialect and the app icon through QtSvg.
Exit code 0 when every check passes; 1 otherwise (with the failures on stderr).

Runs also from a checkout (`python packaging/bundle_selftest.py`), which is how the test suite
knows that a failure in the bundle is a packaging problem and not an app problem.
"""

from __future__ import annotations

import io
import json
import sys
import tempfile
import traceback
from collections.abc import Callable
from importlib import resources
from pathlib import Path

CHECKS: list[tuple[str, Callable[[], str]]] = []


def check(fn: Callable[[], str]) -> Callable[[], str]:
    CHECKS.append((fn.__name__, fn))
    return fn


def _walk(traversable, prefix: str = ""):  # type: ignore[no-untyped-def]
    for entry in traversable.iterdir():
        name = f"{prefix}{entry.name}"
        if entry.name == "__pycache__":
            continue
        if entry.is_dir():
            yield from _walk(entry, name + "/")
        else:
            yield name, entry


@check
def python_runtime() -> str:
    """The bundle runs in UTF-8 mode (spec: ("X utf8", None, "OPTION")), so output and files are UTF-8."""
    frozen = bool(getattr(sys, "frozen", False))
    if frozen:
        assert sys.flags.utf8_mode == 1, "UTF-8 mode is off in the bundle"
    return f"Python {sys.version.split()[0]}, frozen={frozen}, utf8_mode={sys.flags.utf8_mode}"


@check
def resource_files() -> str:
    """Every YAML file under resources/ and forms/ parses; reference themes load."""
    import yaml

    from desktop.services.reference import themes

    count = 0
    for package in ("resources", "forms"):
        for name, entry in _walk(resources.files(package)):
            if name.endswith((".yaml", ".yml")):
                yaml.safe_load(entry.read_text(encoding="utf-8"))
                count += 1
    assert len(themes()) == 8, "expected eight themes"
    return f"{count} YAML files, {len(themes())} themes"


@check
def migrations() -> str:
    """A new database is created, then Alembic runs env.py and the revisions on it."""
    import db.migrate as migrate
    from db.migrations import HEAD

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "selftest.sqlite"
        assert migrate.prepare(path) == "created"
        migrate.upgrade_in_place(path)  # loads db/migrations/env.py and versions/*.py from disk
        assert migrate.inspect_revision(path) == HEAD
        from alembic.script import ScriptDirectory

        revs = [
            r.revision
            for r in ScriptDirectory.from_config(migrate._alembic_config()).walk_revisions()
        ]
    return f"head {HEAD}, revisions {sorted(revs)}"


@check
def keyring_backends() -> str:
    """The Windows, macOS and Secret Service backends are packed and discoverable."""
    from importlib.metadata import entry_points

    import keyring
    import keyring.backends.macOS  # noqa: F401
    import keyring.backends.SecretService  # noqa: F401
    import keyring.backends.Windows  # noqa: F401

    names = {ep.name for ep in entry_points(group="keyring.backends")}
    missing = {"Windows", "macOS", "SecretService"} - names
    assert not missing, f"keyring entry points missing: {missing}"
    return f"entry points {sorted(names)}; active {type(keyring.get_keyring()).__name__}"


@check
def faker_nl() -> str:
    from faker import Faker

    fake = Faker("nl_NL")
    fake.seed_instance(1)
    values = [
        fake.name(),
        fake.street_address(),
        fake.postcode(),
        fake.city(),
        fake.phone_number(),
        fake.company(),
        fake.iban(),
        fake.email(),
        fake.date_between().isoformat(),
        fake.sentence(),
    ]
    assert all(values)
    return f"{values[0]}, {values[3]}"


@check
def dutch_formatting() -> str:
    from datetime import date
    from decimal import Decimal

    from desktop.services.formatting import long_date, money

    text = f"{money(Decimal('1234567.89'))}; {long_date(date(2026, 11, 23))}"
    assert "1.234.567,89" in text and "november" in text, text
    return text


@check
def pdf_fonts_and_pdfium() -> str:
    """A PDF with the bundled TrueType fonts, rendered back with pypdfium2's binary."""
    import pypdfium2
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    fonts = [
        (name, entry)
        for name, entry in _walk(resources.files("resources"))
        if name.endswith(".ttf")
    ]
    assert fonts, "no .ttf fonts under resources/"
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf)
    for i, (_name, entry) in enumerate(fonts):
        with resources.as_file(entry) as font_path:
            pdfmetrics.registerFont(TTFont(f"SelfTest{i}", str(font_path)))
        pdf.setFont(f"SelfTest{i}", 12)
        pdf.drawString(72, 700 - 20 * i, "Zorgkantoor € 1.234,56 – ë ï é")
    pdf.save()
    doc = pypdfium2.PdfDocument(buf.getvalue())
    bitmap = doc[0].render(scale=0.5)
    width = bitmap.width
    doc.close()
    return f"{len(fonts)} fonts, page rendered {width}px wide"


@check
def database_drivers() -> str:
    import psycopg
    from sqlalchemy.dialects import registry

    registry.load("sqlite.pysqlite")
    registry.load("postgresql.psycopg")
    return f"psycopg {psycopg.__version__} ({psycopg.pq.__impl__})"


@check
def crypto_and_xlsx() -> str:
    from cryptography.fernet import Fernet
    from openpyxl import Workbook

    token = Fernet(Fernet.generate_key())
    assert token.decrypt(token.encrypt(b"x")) == b"x"
    wb = Workbook()
    wb.active["A1"] = "Zorgaanbieder"
    wb.save(io.BytesIO())
    return "fernet and openpyxl ok"


@check
def documents_text() -> str:
    """Stukken (issue 20): the text of a DOCX through python-docx and lxml, and of a PDF through
    pypdfium2, as the search extracts it. `docx.Document()` reads python-docx's own
    templates/default.docx, so this fails when its data files are not packed."""
    import docx
    from reportlab.pdfgen import canvas

    from desktop.services.documents.extract import docx_pages, pdf_pages

    phrase = "dagbesteding voor bewoners met dementie"
    document = docx.Document()
    document.add_paragraph(f"Kwaliteitsplan: {phrase}")
    buf = io.BytesIO()
    document.save(buf)
    assert phrase in " ".join(docx_pages(buf.getvalue())), "DOCX text not extracted"
    pdf = io.BytesIO()
    c = canvas.Canvas(pdf)
    c.drawString(72, 720, phrase)
    c.showPage()
    c.save()
    assert phrase in " ".join(pdf_pages(pdf.getvalue())), "PDF text not extracted"
    from lxml import etree

    return f"python-docx, lxml {etree.__version__}, pypdfium2 text ok"


@check
def app_icon() -> str:
    """The SVG icon renders through QtSvg (offscreen, no window)."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication(["selftest", "-platform", "offscreen"])
    data = resources.files("resources.icons").joinpath("kwaliteitsdialoog.svg").read_bytes()
    renderer = QSvgRenderer(data)
    assert renderer.isValid(), "icon SVG not valid"
    image = QImage(64, 64, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    assert image.pixelColor(32, 32).alpha() > 0, "icon rendered empty"
    del app
    return "icon rendered"


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    results: dict[str, dict[str, str]] = {}
    failed = 0
    for name, fn in CHECKS:
        try:
            results[name] = {"status": "ok", "detail": fn()}
        except Exception as exc:  # noqa: BLE001 - report every check
            failed += 1
            results[name] = {"status": "failed", "detail": f"{type(exc).__name__}: {exc}"}
            sys.stderr.write(f"[{name}] FAILED\n{traceback.format_exc()}\n")
    results["_bundle"] = {"status": "ok", "detail": str(getattr(sys, "_MEIPASS", "checkout"))}
    if "--json" in argv:
        print(json.dumps(results, ensure_ascii=False, indent=2))
    else:
        for name, res in results.items():
            print(f"{res['status']:<7} {name}: {res['detail']}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    sys.exit(main())
