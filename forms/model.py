"""Form definition dataclasses and the YAML loader."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

from forms.expr import Expression, ExpressionError, parse

__all__ = [
    "Choice",
    "FieldDef",
    "FormDefinition",
    "FormDefinitionError",
    "FIELD_TYPES",
    "INPUT_TYPES",
    "load_definition",
]

_CHOICE_TYPES = frozenset({"select_one", "select_multiple", "rating"})
#: types that hold an answer typed or chosen by the user
INPUT_TYPES = frozenset({"text", "multiline", "integer", "decimal", "date", "time", *_CHOICE_TYPES})
#: all row types the engine understands
FIELD_TYPES = INPUT_TYPES | {"note", "calculate", "group", "repeat"}


class FormDefinitionError(ValueError):
    """The YAML does not describe a valid form."""


@dataclass(frozen=True)
class Choice:
    value: str
    label: str  # Dutch
    labels: dict[str, str] = field(default_factory=dict, compare=False)


def _labels(row: dict, key: str) -> dict[str, str]:
    """Collect `label`, `label::nl`, `label::Nederlands (nl)`, or `label: {nl: ..}` into a dict."""
    out: dict[str, str] = {}
    for k, v in row.items():
        if k == key:
            if isinstance(v, dict):
                out.update({str(lang): str(text) for lang, text in v.items() if text is not None})
            elif v is not None:
                out["nl"] = str(v)
        elif isinstance(k, str) and k.startswith(key + "::") and v is not None:
            lang = k.split("::", 1)[1].strip()
            if "(" in lang and lang.endswith(")"):
                lang = lang[lang.rindex("(") + 1 : -1]
            out[lang] = str(v)
    return out


@dataclass(frozen=True)
class FieldDef:
    """One row of the survey. `children` for group and repeat."""

    type: str
    name: str
    label: str = ""  # Dutch
    labels: dict[str, str] = field(default_factory=dict, compare=False)
    hint: str = ""
    list_name: str | None = None
    required: Expression | None = None
    required_message: str = ""
    constraint: Expression | None = None
    constraint_message: str = ""
    relevant: Expression | None = None
    calculation: Expression | None = None
    read_only: bool = False
    default: Any = None
    appearance: str = ""
    children: tuple[FieldDef, ...] = ()
    parent: str | None = None  # name of the enclosing group/repeat
    repeat: str | None = None  # name of the enclosing repeat, if any
    raw_type: str = ""

    @property
    def is_container(self) -> bool:
        return self.type in ("group", "repeat")

    @property
    def is_input(self) -> bool:
        return self.type in INPUT_TYPES

    @property
    def has_choices(self) -> bool:
        return self.type in _CHOICE_TYPES

    def expressions(self) -> Iterator[tuple[str, Expression]]:
        for attr in ("required", "constraint", "relevant", "calculation"):
            expr = getattr(self, attr)
            if expr is not None:
                yield attr, expr


@dataclass(frozen=True)
class FormDefinition:
    form_id: str
    version: str
    title: str
    survey: tuple[FieldDef, ...]
    choices: dict[str, tuple[Choice, ...]]
    settings: dict[str, Any] = field(default_factory=dict, compare=False)
    source: str = ""  # file name it was loaded from (informational)
    _by_name: dict[str, FieldDef] = field(default_factory=dict, compare=False, repr=False)

    # ---- lookup -------------------------------------------------------------------------
    def walk(self) -> Iterator[FieldDef]:
        """Every row in document order (containers before their children)."""

        def rec(rows):
            for row in rows:
                yield row
                if row.children:
                    yield from rec(row.children)

        return rec(self.survey)

    def field(self, name: str) -> FieldDef:
        try:
            return self._by_name[name]
        except KeyError:
            raise KeyError(f"Veld {name!r} bestaat niet in {self.form_id} {self.version}") from None

    def has_field(self, name: str) -> bool:
        return name in self._by_name

    @property
    def names(self) -> frozenset[str]:
        return frozenset(self._by_name)

    def choice_label(self, list_name: str | None, value: Any) -> str:
        """Dutch label for a choice value; falls back to the value itself."""
        for ch in self.choices.get(list_name or "", ()):
            if ch.value == str(value):
                return ch.label
        return "" if value is None else str(value)

    def sections(self) -> tuple[FieldDef, ...]:
        """Top-level groups (the UI shows one section per group)."""
        return tuple(r for r in self.survey if r.type == "group")


# --------------------------------------------------------------------------------- loading

_SPECIAL_LITERALS = {"yes": True, "true": True, "no": False, "false": False}


def _expr(value: Any, where: str) -> Expression | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return parse(value) if value else None
    text = str(value).strip()
    if text.lower() in _SPECIAL_LITERALS:
        return parse(_SPECIAL_LITERALS[text.lower()]) if _SPECIAL_LITERALS[text.lower()] else None
    try:
        return parse(text)
    except ExpressionError as exc:
        raise FormDefinitionError(f"{where}: {exc}") from exc


def _row(raw: dict, choices: dict, parent: str | None, repeat: str | None, seen: dict) -> FieldDef:
    if not isinstance(raw, dict):
        raise FormDefinitionError(f"Rij {raw!r} is geen mapping")
    raw_type = str(raw.get("type", "")).strip()
    parts = raw_type.split()
    if not parts:
        raise FormDefinitionError(f"Rij zonder type: {raw!r}")
    ftype = parts[0]
    aliases = {"begin_group": "group", "begin_repeat": "repeat", "string": "text"}
    ftype = aliases.get(ftype, ftype)
    if ftype not in FIELD_TYPES:
        raise FormDefinitionError(f"Onbekend type {ftype!r} bij {raw.get('name')!r}")
    name = str(raw.get("name", "")).strip()
    if not name or not name.replace("_", "a").isalnum() or name[0].isdigit():
        raise FormDefinitionError(f"Ongeldige veldnaam {name!r}")
    if name in seen:
        raise FormDefinitionError(f"Veldnaam {name!r} komt twee keer voor")
    list_name = None
    if ftype in _CHOICE_TYPES:
        if len(parts) < 2:
            raise FormDefinitionError(
                f"{name}: {ftype} heeft een keuzelijst nodig ('{ftype} lijst')"
            )
        list_name = parts[1]
        if list_name not in choices:
            raise FormDefinitionError(f"{name}: keuzelijst {list_name!r} bestaat niet")
    labels = _labels(raw, "label")
    hints = _labels(raw, "hint")
    where = f"{name}"
    child_repeat = name if ftype == "repeat" else repeat
    seen[name] = None  # reserve before children
    kids = tuple(_row(c, choices, name, child_repeat, seen) for c in (raw.get("children") or []))
    if ftype in ("group", "repeat") and not kids:
        raise FormDefinitionError(f"{name}: een {ftype} heeft minstens één veld nodig")
    fd = FieldDef(
        type=ftype,
        name=name,
        label=labels.get("nl", ""),
        labels=labels,
        hint=hints.get("nl", ""),
        list_name=list_name,
        required=_expr(raw.get("required"), where + ".required"),
        required_message=str(raw.get("required_message") or ""),
        constraint=_expr(raw.get("constraint"), where + ".constraint"),
        constraint_message=str(raw.get("constraint_message") or ""),
        relevant=_expr(raw.get("relevant"), where + ".relevant"),
        calculation=_expr(raw.get("calculation"), where + ".calculation"),
        read_only=bool(raw.get("read_only", False)),
        default=raw.get("default"),
        appearance=str(raw.get("appearance") or ""),
        children=kids,
        parent=parent,
        repeat=repeat,
        raw_type=raw_type,
    )
    seen[name] = fd
    return fd


def load_definition(text: str, source: str = "") -> FormDefinition:
    """Parse YAML text into a FormDefinition (raises FormDefinitionError)."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise FormDefinitionError(f"{source}: geen geldige YAML: {exc}") from exc
    if not isinstance(data, dict) or "survey" not in data:
        raise FormDefinitionError(f"{source}: 'survey' ontbreekt")
    settings = data.get("settings") or {}
    form_id = str(settings.get("form_id", "")).strip()
    version = str(settings.get("version", "")).strip()
    if not form_id or not version:
        raise FormDefinitionError(f"{source}: settings.form_id en settings.version zijn verplicht")
    choices: dict[str, tuple[Choice, ...]] = {}
    for list_name, items in (data.get("choices") or {}).items():
        out = []
        seen_values = set()
        for item in items or []:
            raw_name = item.get("name", "")
            if isinstance(raw_name, bool):
                # YAML 1.1 reads unquoted YES/NO/ON/OFF as booleans: the stored code would
                # silently become 'True'/'False'.
                raise FormDefinitionError(
                    f"{source}: keuze {raw_name!r} in lijst {list_name} is geen tekst; zet de "
                    'naam tussen aanhalingstekens (bijvoorbeeld "YES")'
                )
            value = str(raw_name).strip()
            if not value:
                raise FormDefinitionError(f"{source}: keuze zonder naam in lijst {list_name}")
            if value in seen_values:
                raise FormDefinitionError(f"{source}: keuze {value!r} dubbel in lijst {list_name}")
            seen_values.add(value)
            labels = _labels(item, "label")
            out.append(Choice(value, labels.get("nl", ""), labels))
        choices[str(list_name)] = tuple(out)
    seen: dict[str, FieldDef | None] = {}
    try:
        survey = tuple(_row(r, choices, None, None, seen) for r in data["survey"])
    except FormDefinitionError as exc:
        raise FormDefinitionError(f"{source}: {exc}") from exc
    by_name = {k: v for k, v in seen.items() if v is not None}
    return FormDefinition(
        form_id=form_id,
        version=version,
        title=str(settings.get("title") or form_id),
        survey=survey,
        choices=choices,
        settings=dict(settings),
        source=source,
        _by_name=by_name,
    )
