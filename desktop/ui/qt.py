"""The Qt facade: every UI module imports Qt from here (as Anki's aqt/qt does), so the binding
and its quirks live in one place."""

# ruff: noqa: F401, F403
from PySide6.QtCore import *
from PySide6.QtCore import Property, Signal, Slot  # explicit for readers and type checkers
from PySide6.QtGui import *
from PySide6.QtPrintSupport import *
from PySide6.QtWidgets import *
from shiboken6 import isValid as shiboken_is_valid  # False once the C++ object is gone

QT_BINDING = "PySide6"
