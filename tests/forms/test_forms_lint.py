"""Lint rules over the packaged forms and over small hand-made form trees."""

from __future__ import annotations

from pathlib import Path

from forms import FormRegistry, lint, publish

V1 = """settings: {form_id: demo, version: "2026010101"}
choices:
  yn: [{name: Y, label: Ja}, {name: N, label: Nee}]
survey:
  - {type: text, name: naam, label: Naam}
  - {type: select_one yn, name: ok, label: Akkoord, relevant: "${naam} != ''"}
"""


def make(tmp_path: Path, files: dict[str, str], published: tuple[str, ...] = ()) -> FormRegistry:
    for rel, text in files.items():
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    for rel in published:
        form_id, version = rel[:-5].split("/")
        publish(tmp_path, form_id, version)
    return FormRegistry([tmp_path])


def errors(reg):
    return [str(i) for i in lint(reg) if i.severity == "error"]


def test_packaged_forms_are_clean():
    issues = lint()
    assert [str(i) for i in issues if i.severity == "error"] == []
    # the locatiebezoek version is published
    assert not [i for i in issues if i.file.startswith("locatiebezoek/")]


def test_clean_tree_and_unpublished_warning(tmp_path):
    reg = make(tmp_path, {"demo/2026010101.yaml": V1})
    issues = lint(reg)
    assert [i.severity for i in issues] == ["warning"]
    assert "niet gepubliceerd" in issues[0].message


def test_unresolved_ref(tmp_path):
    reg = make(tmp_path, {"demo/2026010101.yaml": V1.replace("${naam}", "${name}")})
    assert any("${name}" in e and "niet bestaat" in e for e in errors(reg))


def test_missing_dutch_label(tmp_path):
    text = V1.replace("label: Naam", "label::en: Name").replace("label: Nee", "label: ''")
    reg = make(tmp_path, {"demo/2026010101.yaml": text})
    errs = errors(reg)
    assert any("naam heeft geen Nederlands label" in e for e in errs)
    assert any("keuze yn.N heeft geen Nederlands label" in e for e in errs)


def test_name_reused_with_other_type(tmp_path):
    v2 = V1.replace('"2026010101"', '"2026020101"').replace(
        "type: text, name: naam", "type: integer, name: naam"
    )
    reg = make(tmp_path, {"demo/2026010101.yaml": V1, "demo/2026020101.yaml": v2})
    assert any("veldnaam naam was text" in e for e in errors(reg))


def test_choice_meaning_changed(tmp_path):
    # Kobo's classic: swapping what 1/0 (here Y/N) mean
    v2 = V1.replace('"2026010101"', '"2026020101"').replace(
        "{name: Y, label: Ja}, {name: N, label: Nee}", "{name: Y, label: Nee}, {name: N, label: Ja}"
    )
    reg = make(tmp_path, {"demo/2026010101.yaml": V1, "demo/2026020101.yaml": v2})
    errs = errors(reg)
    assert any("keuze yn.Y betekende 'Ja'" in e for e in errs)
    # a harmless case/whitespace change is fine
    v3 = V1.replace('"2026010101"', '"2026030101"').replace("label: Ja}", "label: ja }")
    reg = make(tmp_path / "b", {"demo/2026010101.yaml": V1, "demo/2026030101.yaml": v3})
    assert errors(reg) == []


def test_changed_published_file(tmp_path):
    reg = make(tmp_path, {"demo/2026010101.yaml": V1}, published=("demo/2026010101.yaml",))
    assert lint(reg) == []
    (tmp_path / "demo/2026010101.yaml").write_text(
        V1.replace("Naam", "Naam locatie"), encoding="utf-8"
    )
    assert any("gepubliceerd bestand is gewijzigd" in e for e in errors(reg))
    # CRLF checkout of an unchanged file is not a change
    (tmp_path / "demo/2026010101.yaml").write_bytes(V1.replace("\n", "\r\n").encode())
    assert errors(reg) == []


def test_path_mismatch_and_broken_yaml(tmp_path):
    reg = make(tmp_path, {"demo/2026010102.yaml": V1, "other/2026010101.yaml": "survey: [:"})
    errs = errors(reg)
    assert any("settings.version is '2026010101'" in e for e in errs)
    assert any("laadt niet" in e for e in errs)


def test_unquoted_yes_no_choice_codes_are_refused_not_turned_into_booleans() -> None:
    import pytest

    from forms.model import FormDefinitionError, load_definition

    text = """
settings: {form_id: probe, version: "2026112301"}
choices:
  yn:
    - {name: YES, label: Ja}
    - {name: NO, label: Nee}
survey:
  - {type: select_one yn, name: q, label: {nl: Vraag}}
"""
    with pytest.raises(FormDefinitionError, match="aanhalingstekens"):
        load_definition(text, "probe.yaml")
    fixed = load_definition(
        text.replace("name: YES", 'name: "YES"').replace("name: NO", 'name: "NO"'), "probe.yaml"
    )
    assert [c.value for c in fixed.choices["yn"]] == ["YES", "NO"]
