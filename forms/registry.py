"""Find and load published form versions: `forms/<form_id>/<version>.yaml`.

Definitions ship as package data and are read with importlib.resources, so they also work
from a wheel or a PyInstaller bundle. Tests may add extra roots (e.g. a v2 fixture).
"""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path

from forms.model import FormDefinition, load_definition

__all__ = [
    "FormNotFound",
    "FormRegistry",
    "FormFile",
    "REGISTRY",
    "load_form",
    "latest_version",
    "list_versions",
    "file_hash",
    "read_manifest",
    "MANIFEST_NAME",
]

MANIFEST_NAME = "manifest.json"


class FormNotFound(LookupError):
    pass


@dataclass(frozen=True)
class FormFile:
    form_id: str
    version: str
    root: Traversable | Path
    path: Traversable | Path

    @property
    def key(self) -> str:
        return f"{self.form_id}/{self.version}.yaml"

    def read_text(self) -> str:
        return self.path.read_text(encoding="utf-8")

    def read_bytes(self) -> bytes:
        return self.path.read_bytes()


def file_hash(data: bytes) -> str:
    """SHA-256 of the file with line endings normalised (a Windows checkout stays valid)."""
    return hashlib.sha256(data.replace(b"\r\n", b"\n")).hexdigest()


def read_manifest(root: Traversable | Path) -> dict[str, str]:
    try:
        text = (root / MANIFEST_NAME).read_text(encoding="utf-8")
    except (FileNotFoundError, OSError):
        return {}
    data = json.loads(text)
    return dict(data.get("files", data))


def _is_version(name: str) -> bool:
    return name.endswith(".yaml") and name[:-5].isdigit()


class FormRegistry:
    def __init__(self, roots: list[Traversable | Path] | None = None):
        self._roots: list[Traversable | Path] = list(roots or [resources.files("forms")])
        self._cache: dict[tuple[str, str], FormDefinition] = {}
        self._lock = threading.Lock()

    @property
    def roots(self) -> tuple:
        return tuple(self._roots)

    def add_root(self, root: Path) -> None:
        with self._lock:
            if root not in self._roots:
                self._roots.append(root)
            self._cache.clear()

    def remove_root(self, root: Path) -> None:
        with self._lock:
            if root in self._roots:
                self._roots.remove(root)
            self._cache.clear()

    def files(self) -> list[FormFile]:
        out: list[FormFile] = []
        for root in self._roots:
            try:
                entries = list(root.iterdir())
            except (FileNotFoundError, NotADirectoryError):
                continue
            for d in entries:
                if not d.is_dir() or d.name.startswith(("_", ".")):
                    continue
                for f in d.iterdir():
                    if f.is_file() and _is_version(f.name):
                        out.append(FormFile(d.name, f.name[:-5], root, f))
        out.sort(key=lambda ff: (ff.form_id, ff.version))
        return out

    def form_ids(self) -> list[str]:
        return sorted({f.form_id for f in self.files()})

    def versions(self, form_id: str) -> list[str]:
        return sorted({f.version for f in self.files() if f.form_id == form_id})

    def latest(self, form_id: str) -> str:
        versions = self.versions(form_id)
        if not versions:
            raise FormNotFound(f"Formulier {form_id!r} bestaat niet")
        return versions[-1]

    def load(self, form_id: str, version: str | None = None) -> FormDefinition:
        if version is None:
            version = self.latest(form_id)
        key = (form_id, str(version))
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        for ff in self.files():
            if ff.form_id == form_id and ff.version == str(version):
                form = load_definition(ff.read_text(), source=ff.key)
                with self._lock:
                    self._cache[key] = form
                return form
        raise FormNotFound(f"Formulier {form_id!r} versie {version!r} bestaat niet")


REGISTRY = FormRegistry()


def load_form(form_id: str, version: str | None = None) -> FormDefinition:
    """Load a published form version (the latest when `version` is None). Cached."""
    return REGISTRY.load(form_id, version)


def latest_version(form_id: str) -> str:
    return REGISTRY.latest(form_id)


def list_versions(form_id: str) -> list[str]:
    return REGISTRY.versions(form_id)
