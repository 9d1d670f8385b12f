"""Form lint: refuses definitions that would corrupt or misread stored answers.

Errors:
* a file that does not load (YAML, unknown type, unknown choice list, bad expression);
* settings.form_id / settings.version that do not match the path;
* a `${ref}` that resolves to no field;
* a missing Dutch label (fields except `calculate`, and choices);
* a field name reused with another type in a later version of the same form;
* a choice value whose label (meaning) changed in a later version;
* a published file (listed in `manifest.json`) whose content changed.

Warning: a version file not yet listed in the manifest (not published).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from forms.model import FormDefinition, FormDefinitionError, load_definition
from forms.registry import (
    MANIFEST_NAME,
    REGISTRY,
    FormFile,
    FormRegistry,
    file_hash,
    read_manifest,
)

__all__ = ["LintIssue", "lint", "lint_definition", "publish"]


@dataclass(frozen=True)
class LintIssue:
    severity: str  # "error" | "warning"
    file: str  # "<form_id>/<version>.yaml"
    message: str  # Dutch

    def __str__(self) -> str:
        label = "FOUT" if self.severity == "error" else "waarschuwing"
        return f"{self.file}: {label}: {self.message}"


def _norm(label: str) -> str:
    return " ".join(label.casefold().split())


def lint_definition(form: FormDefinition, file: str = "") -> list[LintIssue]:
    """Rules that need only one definition."""
    out: list[LintIssue] = []
    file = file or f"{form.form_id}/{form.version}.yaml"
    names = form.names
    for fd in form.walk():
        for attr, expr in fd.expressions():
            for ref in sorted(expr.refs - names):
                out.append(
                    LintIssue(
                        "error",
                        file,
                        f"{fd.name}.{attr} verwijst naar ${{{ref}}}, dat niet bestaat",
                    )
                )
        if fd.type != "calculate" and not fd.label.strip():
            out.append(LintIssue("error", file, f"{fd.name} heeft geen Nederlands label"))
    for list_name, choices in form.choices.items():
        for ch in choices:
            if not ch.label.strip():
                out.append(
                    LintIssue(
                        "error", file, f"keuze {list_name}.{ch.value} heeft geen Nederlands label"
                    )
                )
    return out


def lint(registry: FormRegistry | None = None) -> list[LintIssue]:
    """Lint every form version under every root of the registry."""
    registry = registry or REGISTRY
    out: list[LintIssue] = []
    manifests: dict[int, dict[str, str]] = {}
    by_form: dict[str, list[tuple[FormFile, FormDefinition]]] = {}
    for ff in registry.files():
        man = manifests.setdefault(id(ff.root), read_manifest(ff.root))
        data = ff.read_bytes()
        expected = man.get(ff.key)
        if expected is None:
            out.append(
                LintIssue("warning", ff.key, "nog niet gepubliceerd (staat niet in manifest.json)")
            )
        elif expected != file_hash(data):
            out.append(
                LintIssue(
                    "error",
                    ff.key,
                    "gepubliceerd bestand is gewijzigd (hash wijkt af van manifest.json); "
                    "maak een nieuwe versie in plaats van deze te wijzigen",
                )
            )
        try:
            form = load_definition(data.decode("utf-8"), source=ff.key)
        except (FormDefinitionError, UnicodeDecodeError) as exc:
            out.append(LintIssue("error", ff.key, f"laadt niet: {exc}"))
            continue
        if form.form_id != ff.form_id:
            out.append(
                LintIssue(
                    "error",
                    ff.key,
                    f"settings.form_id is {form.form_id!r}, map heet {ff.form_id!r}",
                )
            )
        if form.version != ff.version:
            out.append(
                LintIssue(
                    "error",
                    ff.key,
                    f"settings.version is {form.version!r}, bestand heet {ff.version!r}",
                )
            )
        out.extend(lint_definition(form, ff.key))
        by_form.setdefault(ff.form_id, []).append((ff, form))

    for versions in by_form.values():
        versions.sort(key=lambda pair: pair[0].version)
        types: dict[str, tuple[str, str]] = {}  # name -> (type, first version)
        meanings: dict[
            tuple[str, str], tuple[str, str, str]
        ] = {}  # (list, value) -> (norm, label, version)
        for ff, form in versions:
            for fd in form.walk():
                seen = types.get(fd.name)
                if seen is None:
                    types[fd.name] = (fd.type, form.version)
                elif seen[0] != fd.type:
                    out.append(
                        LintIssue(
                            "error",
                            ff.key,
                            f"veldnaam {fd.name} was {seen[0]} in versie {seen[1]} en is nu {fd.type}; "
                            "gebruik een nieuwe naam",
                        )
                    )
            for list_name, choices in form.choices.items():
                for ch in choices:
                    key = (list_name, ch.value)
                    prev = meanings.get(key)
                    if prev is None:
                        meanings[key] = (_norm(ch.label), ch.label, form.version)
                    elif prev[0] != _norm(ch.label):
                        out.append(
                            LintIssue(
                                "error",
                                ff.key,
                                f"keuze {list_name}.{ch.value} betekende {prev[1]!r} in versie {prev[2]}"
                                f" en heet nu {ch.label!r}; gebruik een nieuwe code",
                            )
                        )
    return out


def publish(root: Path, form_id: str, version: str) -> str:
    """Record the hash of `<root>/<form_id>/<version>.yaml` in `<root>/manifest.json`.
    Refuses to overwrite an existing, different hash (published files are immutable)."""
    path = Path(root) / form_id / f"{version}.yaml"
    digest = file_hash(path.read_bytes())
    man_path = Path(root) / MANIFEST_NAME
    data = json.loads(man_path.read_text(encoding="utf-8")) if man_path.exists() else {}
    files = data.setdefault("files", {})
    key = f"{form_id}/{version}.yaml"
    if key in files and files[key] != digest:
        raise ValueError(f"{key} is al gepubliceerd met een andere inhoud; maak een nieuwe versie")
    files[key] = digest
    data["files"] = dict(sorted(files.items()))
    man_path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return digest
