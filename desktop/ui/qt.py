"""The Qt facade: every UI module imports Qt from here (as Anki's aqt/qt does), so the binding
and its quirks live in one place.

Names are looked up lazily (PEP 562 module `__getattr__`), not star-imported: PySide6 creates
its Python types on first use, and `from PySide6.QtWidgets import *` made it create every
class and enum of QtCore, QtGui and QtWidgets at start-up, 130-210 ms before the window could
paint (issue 18). QtPrintSupport is only loaded when a print class is asked for.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import Property, Signal, Slot  # explicit for readers and type checkers
from shiboken6 import isValid as shiboken_is_valid  # False once the C++ object is gone

QT_BINDING = "PySide6"

# The order the star imports had (a later module won a name the earlier ones also had).
_MODULES: tuple[ModuleType, ...] = (QtWidgets, QtGui, QtCore)


def __getattr__(name: str) -> Any:
    if name.startswith("__"):
        raise AttributeError(name)
    for module in _MODULES:
        value = getattr(module, name, _MISSING)
        if value is not _MISSING:
            globals()[name] = value  # found once per name
            return value
    from PySide6 import QtPrintSupport

    value = getattr(QtPrintSupport, name, _MISSING)
    if value is _MISSING:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


_MISSING = object()

__all__ = ["QT_BINDING", "Property", "Signal", "Slot", "shiboken_is_valid"]
