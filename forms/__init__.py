"""Declarative form definitions (YAML, one immutable file per published version) and the
pure-Python form engine. No Qt, no database. See forms/README.md for the public API."""

from forms.engine import (
    FormState,
    Issue,
    SectionProgress,
    display_value,
    evaluate,
    finalize,
    is_empty,
    path_of,
    validate,
)
from forms.expr import Expression, ExpressionError, parse
from forms.lint import LintIssue, lint, lint_definition, publish
from forms.model import Choice, FieldDef, FormDefinition, FormDefinitionError, load_definition
from forms.registry import (
    REGISTRY,
    FormNotFound,
    FormRegistry,
    latest_version,
    list_versions,
    load_form,
)

__all__ = [
    "Choice",
    "Expression",
    "ExpressionError",
    "FieldDef",
    "FormDefinition",
    "FormDefinitionError",
    "FormNotFound",
    "FormRegistry",
    "FormState",
    "Issue",
    "LintIssue",
    "REGISTRY",
    "SectionProgress",
    "display_value",
    "evaluate",
    "finalize",
    "is_empty",
    "latest_version",
    "lint",
    "lint_definition",
    "list_versions",
    "load_definition",
    "load_form",
    "parse",
    "path_of",
    "publish",
    "validate",
]
