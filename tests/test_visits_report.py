"""Visit report PDF and form versioning: the report is rendered from the visit's own form
version; a v2 form that removes and renames fields leaves v1 visits (and their PDFs)
unchanged. Text is read back with pypdf."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader
from test_visits import db, db_path, full_answers, make_location, users, visits_template  # noqa: F401

V1 = "2026112301"
V2 = "2026120101"


def pdf_text(data: bytes) -> str:
    text = "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
    return re.sub(r"\s+", " ", text)


def norm(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


@pytest.fixture
def completed(db, users):  # type: ignore[no-untyped-def]
    from desktop.services.visits import complete_visit, create_visit

    actor = users["purchaser"].id
    w = make_location(db, actor, improvement_items=("Inzet vrijwilligers",))
    v = create_visit(db, w.location, actor_id=actor)
    answers = full_answers(
        v,
        t2_observation="Bewoners doen mee aan activiteiten;\nfamilie & vrijwilligers <welkom>.",
        t2_signal="POSITIEF",
        t8_observation="Cliëntervaringen (NPS 8,2) worden besproken in het team. " * 6,
        t8_signal="AANDACHTSPUNT",
    )
    done = complete_visit(db, v.id, answers, actor_id=actor)
    return db, done, w, actor


def test_report_contains_every_observation_and_action(completed, tmp_path):
    from desktop.services.visit_report import render_visit_report
    from desktop.services.visits import observations

    db, visit, _w, _ = completed
    data = render_visit_report(db, visit.id)
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    obs = observations(db, visit.id)
    assert len(obs) == 5
    for o in obs:
        assert norm(o.text) in text, o.theme_code
        assert o.theme_label in text
    for needle in (
        "Verslag locatiebezoek",
        "Huize De Linde",
        "Zorggroep De Linde",
        "Anna de Vries",
        "Medicatiekar altijd afsluiten",
        "Zorgaanbieder",
        "Zichtbaar aan het verbeteren",
        "Teamleider",
        "Inzet vrijwilligers",
        "Pagina 1 van",
    ):
        assert needle in text, needle
    assert "CONCEPT" not in text
    assert "Zonder waarnemingen of antwoorden: T4 Leren en werken aan kwaliteit, T5" in text
    # deterministic output
    assert render_visit_report(db, visit.id) == data


def test_draft_report_has_watermark(db, users):
    from desktop.services.visit_report import render_visit_report
    from desktop.services.visits import create_visit

    w = make_location(db, users["purchaser"].id)
    v = create_visit(db, w.location, actor_id=users["purchaser"].id)
    text = pdf_text(render_visit_report(db, v.id))
    assert "CONCEPT" in text and "Concept (nog niet afgerond)" in text


def test_cli_report_and_lint(completed, db_path, tmp_path, capsys):
    from desktop.cli import main

    db, visit, _w, _ = completed
    out = tmp_path / "verslag.pdf"
    assert (
        main(["visits", "report", "--db", str(db_path), "--visit", visit.id, "--out", str(out)])
        == 0
    )
    assert "Medicatiekar stond onbeheerd open" in pdf_text(out.read_bytes())
    assert (
        main(
            [
                "visits",
                "report",
                "--db",
                str(db_path),
                "--visit",
                "bestaat-niet",
                "--out",
                str(tmp_path / "x.pdf"),
            ]
        )
        == 1
    )
    assert "bestaat niet" in capsys.readouterr().err
    assert main(["forms", "lint"]) == 0
    assert "geen fouten" in capsys.readouterr().out
    assert main(["actions", "list", "--db", str(db_path), "--json"]) == 0
    assert "Medicatiekar altijd afsluiten" in capsys.readouterr().out


V2_ROOT = Path(__file__).resolve().parent / "forms" / "v2"


def make_v2(root: Path) -> Path:
    """The v2 fixture (tests/forms/v2/locatiebezoek/2026120101.yaml): removes
    innovation_platform and t8_rating, renames visitors -> visitor_names and
    t1_observation -> t1_notes. Copied to `root` so each test has its own registry root."""
    import shutil

    shutil.copytree(V2_ROOT, root)
    return root


def test_v2_form_leaves_v1_visits_unchanged(completed, tmp_path):
    from desktop.services.visit_report import render_visit_report
    from desktop.services.visits import complete_visit, create_visit, get_visit
    from forms import FormRegistry, evaluate, latest_version, lint, load_form
    from forms.registry import REGISTRY

    db, visit, w, actor = completed
    before = render_visit_report(db, visit.id)
    root = make_v2(tmp_path / "v2forms")
    REGISTRY.add_root(root)
    try:
        # the v2 fixture passes the lint next to v1 (removing/renaming is allowed)
        reg = FormRegistry(list(REGISTRY.roots))
        assert [str(i) for i in lint(reg) if i.severity == "error"] == []
        assert latest_version("locatiebezoek") == V2
        v2 = load_form("locatiebezoek", V2)
        assert not v2.has_field("visitors") and v2.has_field("visitor_names")
        # the old visit still renders, validates and prints with v1, byte for byte
        old = get_visit(db, visit.id)
        assert old.form_version == V1
        assert evaluate(load_form("locatiebezoek", V1), old.answers).issues == ()
        after = render_visit_report(db, visit.id)
        assert after == before
        text = pdf_text(after)
        assert "Anna de Vries" in text and "Oordeel:" in text
        # a new visit uses v2 and its renamed fields
        nv = create_visit(db, w.location, actor_id=actor)
        assert nv.form_version == V2 and "visitors" not in nv.answers
        answers = full_answers(nv, visitor_names="Anna de Vries, Bram Jansen")
        answers.pop("t1_observation")
        answers["t1_notes"] = "Nieuwe veldnaam voor de waarneming bij T1."
        complete_visit(db, nv.id, answers, actor_id=actor)
        assert "Nieuwe veldnaam voor de waarneming bij T1." in pdf_text(
            render_visit_report(db, nv.id)
        )
    finally:
        REGISTRY.remove_root(root)
    assert latest_version("locatiebezoek") == V1
