"""Versioned letter templates: text blocks with {placeholders} (resources/letters/<id>/<version>.yaml).

A care office changes wording without code in one of two ways (both merge over the shipped
template, key by key):
  * a YAML file <gegevensmap>/letters/<CODE>/<id>/<version>.yaml with only the changed keys and
    its own `version` (the highest version file wins);
  * inline in CareOffice.letter_settings["templates"][<id>] (a dict with the same structure).
The version a letter used is recorded on the letter: "<shipped version>" or
"<shipped version>+<CODE>-<override version>".
"""

from __future__ import annotations

import copy
import string
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from db.errors import ValidationError
from desktop.services.paths import data_dir

DEFAULT_TEMPLATE = "beoordelingsbrief"
_formatter = string.Formatter()


@dataclass(frozen=True)
class Template:
    id: str
    version: str
    data: dict[str, Any]

    def get(self, *path: str, default: Any = None) -> Any:
        node: Any = self.data
        for key in path:
            if not isinstance(node, dict) or key not in node:
                return default
            node = node[key]
        return node


@lru_cache(maxsize=8)
def _shipped(template_id: str) -> tuple[str, str]:
    root = resources.files("resources").joinpath("letters", template_id)
    files = sorted(p.name for p in root.iterdir() if p.name.endswith(".yaml"))
    if not files:
        raise ValidationError("template", f"Het briefsjabloon '{template_id}' bestaat niet.")
    name = files[-1]
    return name[:-5], root.joinpath(name).read_text(encoding="utf-8")


def _merge(base: dict, override: dict) -> dict:
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def override_folder(care_office_code: str, template_id: str = DEFAULT_TEMPLATE) -> Path:
    """Where a care office puts its own wording for `template_id`."""
    return data_dir() / "letters" / care_office_code / template_id


@lru_cache(maxsize=64)
def _override_file(path: str, mtime: float) -> dict:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise ValidationError(
            "template", f"Het briefsjabloon {path} is geen geldige YAML-structuur."
        )
    return data


@lru_cache(maxsize=8)
def _parsed_shipped(template_id: str) -> tuple[str, dict]:
    version, text = _shipped(template_id)
    return version, yaml.safe_load(text)


def load_template(
    template_id: str = DEFAULT_TEMPLATE,
    care_office_code: str | None = None,
    inline_override: dict | None = None,
) -> Template:
    base_version, base = _parsed_shipped(template_id)
    data = copy.deepcopy(base)
    version = str(data.get("version") or base_version)
    tags: list[str] = []
    if care_office_code:
        folder = override_folder(care_office_code, template_id)
        if folder.is_dir():
            files = sorted(p for p in folder.iterdir() if p.suffix == ".yaml")
            if files:
                newest = files[-1]
                over = _override_file(str(newest), newest.stat().st_mtime)
                data = _merge(data, {k: v for k, v in over.items() if k not in ("id", "version")})
                tags.append(f"{care_office_code}-{over.get('version') or newest.stem}")
    if inline_override:
        data = _merge(
            data, {k: v for k, v in inline_override.items() if k not in ("id", "version")}
        )
        tags.append(
            f"{care_office_code or 'eigen'}-{inline_override.get('version') or 'instelling'}"
        )
    if tags:
        version = version + "+" + "+".join(tags)
    return Template(template_id, version, data)


def placeholders(text: str) -> list[str]:
    return [name for _lit, name, _spec, _conv in _formatter.parse(text) if name]


class MissingPlaceholder(ValidationError):
    def __init__(self, name: str, where: str, template: Template) -> None:
        super().__init__(
            "template",
            f"De brief kan niet definitief worden: voor de plaatshouder {{{name}}} in de tekst "
            f"'{where}' van sjabloon {template.id} (versie {template.version}) is geen waarde.",
        )
        self.placeholder = name


def fill(text: str, values: dict[str, str], *, where: str, template: Template, strict: bool) -> str:
    """Replace {placeholders}; values are already escaped markup. Strict: a placeholder without
    a value is refused (MissingPlaceholder); otherwise it shows as a visible red marker."""
    out: list[str] = []
    for literal, name, _spec, _conv in _formatter.parse(text):
        out.append(literal)
        if name is None:
            continue
        value = values.get(name)
        if value is None or value == "":
            if strict:
                raise MissingPlaceholder(name, where, template)
            value = f'<font color="#B3261E">[ontbreekt: {name}]</font>'
        out.append(value)
    return "".join(out)
