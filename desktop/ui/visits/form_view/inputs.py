"""The input widget of one form field, per field kind (view): a `Binder` connects it to one
answer (get/put a JSON-able value) and tells the form when the user edited it.

Keyboard-first: Enter in a one-line field moves to the next field (it never submits); the
form validates a field when the focus leaves it (`FocusOut`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from desktop.ui.qt import (
    QCheckBox,
    QComboBox,
    QEvent,
    QLineEdit,
    QObject,
    QPlainTextEdit,
    QRadioButton,
    Qt,
    QTimer,
    QWidget,
    Signal,
)
from desktop.ui.style import BACKGROUND, TEXT
from desktop.ui.visits.form_view.values import (
    parse_date,
    parse_decimal,
    parse_integer,
    parse_time,
    show_date,
    show_decimal,
    show_text,
)
from desktop.ui.widgets import FlowLayout
from forms import FieldDef, FormDefinition

RADIO_MAX = 5  # select_one with more choices becomes a combo box
#: field kinds the user types into: the form re-evaluates when typing pauses, not per key
TYPED_KINDS = frozenset({"text", "multiline", "integer", "decimal", "date", "time"})
READ_ONLY_STYLE = f"background: {BACKGROUND}; color: {TEXT};"

OnChange = Callable[[], None]


class EnterMovesOn(QObject):
    """Enter in a one-line field moves to the next field; it never submits anything."""

    def eventFilter(self, obj, event):  # type: ignore[no-untyped-def]  # noqa: N802
        if event.type() == QEvent.Type.KeyPress and event.key() in (
            Qt.Key.Key_Return,
            Qt.Key.Key_Enter,
        ):
            if isinstance(obj, QLineEdit | QRadioButton | QCheckBox):
                obj.focusNextChild()
                return True
        return False


class FocusOut(QObject):
    """Calls back with the answer path a widget belongs to when the focus leaves it."""

    def __init__(self, callback: Callable[[str], None], parent: QObject) -> None:
        super().__init__(parent)
        self.callback = callback

    def eventFilter(self, obj, event):  # type: ignore[no-untyped-def]  # noqa: N802
        if event.type() == QEvent.Type.FocusOut:
            path = obj.property("answerPath")
            if path:
                QTimer.singleShot(0, lambda p=path: self.callback(p))
        return False


class Binder:
    """Connects one input widget to one answer."""

    def __init__(
        self,
        fd: FieldDef,
        widget: QWidget,
        focus: QWidget,
        get: Callable[[], Any],
        put: Callable[[Any], None],
        inputs: list[QWidget],
    ) -> None:
        self.fd = fd
        self.widget = widget  # the visible control (container for choices)
        self.focus = focus  # first focusable widget
        self.get = get
        self.put = put
        self.inputs = inputs  # every focusable sub-widget

    def set_read_only(self, ro: bool) -> None:
        for w in self.inputs:
            if isinstance(w, QLineEdit | QPlainTextEdit):
                fixed = ro or self.fd.read_only
                if w.property("editPlaceholder") is None:
                    w.setProperty("editPlaceholder", w.placeholderText())
                w.setPlaceholderText("Niet ingevuld" if ro else w.property("editPlaceholder"))
                if w.isReadOnly() != fixed:
                    w.setReadOnly(fixed)
                    w.setStyleSheet(READ_ONLY_STYLE if fixed else "")
            else:
                w.setEnabled(not (ro or self.fd.read_only))


class ChoiceGroup(QWidget):
    """Radio buttons (select_one/rating) or check boxes (select_multiple). A checked radio
    can be clicked again to clear an optional answer."""

    toggled = Signal()

    def __init__(self, form: FormDefinition, fd: FieldDef) -> None:
        super().__init__()
        self.multi = fd.type == "select_multiple"
        self.buttons: dict[str, QRadioButton | QCheckBox] = {}
        choices = form.choices.get(fd.list_name or "", ())
        # Wraps instead of squeezing: at a large font the choices never shrink to "Go / Vol".
        lay = FlowLayout(self, spacing=4)
        for ch in choices:
            b: QRadioButton | QCheckBox = (
                QCheckBox(ch.label) if self.multi else QRadioButton(ch.label)
            )
            b.setAutoExclusive(False)
            b.setAccessibleName(f"{fd.label}: {ch.label}")
            b.clicked.connect(lambda checked, v=ch.value: self._clicked(v, checked))
            self.buttons[ch.value] = b
            lay.addWidget(b)

    def _clicked(self, value: str, checked: bool) -> None:
        if not self.multi and checked:
            for v, b in self.buttons.items():
                if v != value:
                    b.setChecked(False)
        self.toggled.emit()

    def value(self) -> Any:
        picked = [v for v, b in self.buttons.items() if b.isChecked()]
        if self.multi:
            return picked
        return picked[0] if picked else None

    def set_value(self, value: Any) -> None:
        wanted = set(value) if isinstance(value, list) else {value}
        for v, b in self.buttons.items():
            b.setChecked(v in wanted)

    def button_for(self, value: str) -> QRadioButton | QCheckBox:
        return self.buttons[value]


# -- one builder per field kind ---------------------------------------------------------------
def _multiline(fd: FieldDef, on_change: OnChange) -> Binder:
    w = QPlainTextEdit()
    w.setTabChangesFocus(True)
    w.setMinimumHeight(84)
    w.setMaximumHeight(150)
    w.setAccessibleName(fd.label)
    w.textChanged.connect(lambda *_: on_change())
    return Binder(
        fd, w, w, lambda: w.toPlainText() or None, lambda v: w.setPlainText(show_text(v)), [w]
    )


def _line(fd: FieldDef, on_change: OnChange) -> Binder:
    """text, integer, decimal, date and time: one line edit, typed the Dutch way."""
    t = fd.type
    w = QLineEdit()
    w.setAccessibleName(fd.label)
    put: Callable[[Any], None] = lambda v: w.setText(show_text(v))  # noqa: E731
    if t == "date":
        w.setPlaceholderText("dd-mm-jjjj")
        w.setMaximumWidth(150)
        get: Callable[[], Any] = lambda: parse_date(w.text())  # noqa: E731
        put = lambda v: w.setText(show_date(v))  # noqa: E731
        w.editingFinished.connect(lambda: w.setText(show_date(parse_date(w.text())) or w.text()))
    elif t == "time":
        w.setPlaceholderText("uu:mm")
        w.setMaximumWidth(90)
        get = lambda: parse_time(w.text())  # noqa: E731
        w.editingFinished.connect(lambda: w.setText(parse_time(w.text()) or ""))
    elif t == "integer":
        w.setMaximumWidth(110)
        get = lambda: parse_integer(w.text())  # noqa: E731
    elif t == "decimal":
        w.setMaximumWidth(140)
        get = lambda: parse_decimal(w.text())  # noqa: E731
        put = lambda v: w.setText(show_decimal(v))  # noqa: E731
    else:
        w.setMaxLength(2000)
        get = lambda: w.text() or None  # noqa: E731
    w.textEdited.connect(lambda *_: on_change())
    return Binder(fd, w, w, get, put, [w])


def _combo(form: FormDefinition, fd: FieldDef, on_change: OnChange) -> Binder:
    """A select_one or rating with many choices."""
    w = QComboBox()
    w.setAccessibleName(fd.label)
    w.addItem("— kies —", None)
    for ch in form.choices.get(fd.list_name or "", ()):
        w.addItem(ch.label, ch.value)
    w.setMaximumWidth(360)
    w.currentIndexChanged.connect(lambda _i: on_change())

    def put(v: Any) -> None:
        i = w.findData(v)
        w.setCurrentIndex(i if i >= 0 else 0)

    return Binder(fd, w, w, lambda: w.currentData(), put, [w])


def _choices(form: FormDefinition, fd: FieldDef, on_change: OnChange) -> Binder:
    g = ChoiceGroup(form, fd)
    g.toggled.connect(lambda *_: on_change())
    buttons: list[QWidget] = list(g.buttons.values())
    return Binder(fd, g, buttons[0] if buttons else g, g.value, g.set_value, buttons)


def make_binder(form: FormDefinition, fd: FieldDef, on_change: OnChange) -> Binder:
    t = fd.type
    if t == "multiline":
        return _multiline(fd, on_change)
    if t in TYPED_KINDS:
        return _line(fd, on_change)
    if t in ("select_one", "rating") and len(form.choices.get(fd.list_name or "", ())) > RADIO_MAX:
        return _combo(form, fd, on_change)
    if t in ("select_one", "rating", "select_multiple"):
        return _choices(form, fd, on_change)
    raise ValueError(f"geen invoer voor type {t}")
