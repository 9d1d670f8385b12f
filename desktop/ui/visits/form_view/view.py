"""The form's widgets (view): a side index with one row per section, and one page per
section that fills in when it is first shown (building every widget up front costs far more
than the 150 ms budget). Behaviour (answers, evaluation, messages, navigation) lives in the
controller, `FormView` in `desktop.ui.visits.form_view.controller`; this class declares the
callbacks it wires and the controller implements them.

Styling without a widget style sheet (a style sheet on the view re-polishes every child and
costs more than the whole build budget): object names the app style sheet knows, fonts,
palettes, and tiny style sheets on a few leaf widgets.
"""

from __future__ import annotations

import copy
from datetime import date
from functools import partial
from typing import Any

from desktop.ui.qt import (
    QFrame,
    QHBoxLayout,
    QKeySequence,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QShortcut,
    QSplitter,
    QStackedWidget,
    Qt,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
)
from desktop.ui.style import (
    ACCENT,
    ACCENT_LIGHT,
    BACKGROUND,
    BORDER,
    NOTE_BACKGROUND,
    NOTE_BORDER,
    NOTE_TEXT,
    TEXT,
)
from desktop.ui.visits.form_view.blocks import FIELD_MAX_WIDTH, FieldBlock, RepeatBlock, bold
from desktop.ui.visits.form_view.inputs import EnterMovesOn, FocusOut, make_binder
from forms import FieldDef, FormDefinition, FormState

INDEX_STYLE = f"""
QListWidget {{ background: {BACKGROUND}; border: none; border-right: 1px solid {BORDER};
              padding-top: 6px; outline: 0; }}
QListWidget::item {{ padding: 7px 10px; border-left: 3px solid transparent; }}
QListWidget::item:selected {{ background: {ACCENT_LIGHT}; color: {TEXT}; border-left: 3px solid {ACCENT}; }}
"""
NOTE_STYLE = (
    f"background: {NOTE_BACKGROUND}; border: 1px solid {NOTE_BORDER}; border-radius: 4px;"
    f"padding: 6px 8px; color: {NOTE_TEXT};"
)
SIDE_STYLE = f"background: {BACKGROUND}; border-right: 1px solid {BORDER};"
#: a section: (name, label, hint, its rows)
Section = tuple[str, str, str, tuple[FieldDef, ...]]


class FormPagesView(QWidget):
    changed = Signal()  # the user edited an answer
    section_changed = Signal(int)

    def __init__(
        self,
        form: FormDefinition,
        answers: dict[str, Any] | None = None,
        *,
        read_only: bool = False,
        today: date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.form = form
        self.answers: dict[str, Any] = copy.deepcopy(answers or {})
        self.read_only = read_only
        self.today = today
        self.blocks: dict[str, FieldBlock] = {}
        self.containers: dict[str, QWidget] = {}  # path -> widget to hide when not relevant
        self.calc_labels: dict[str, tuple[FieldDef, QLabel]] = {}
        self.repeats: dict[str, RepeatBlock] = {}
        self.touched: set[str] = set()
        self.show_all = False
        self.state: FormState | None = None
        self._loading = True  # putting values into widgets is not an edit
        self._enter = EnterMovesOn(self)
        self._focus_out = FocusOut(self._left_field, self)
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(120)
        self._refresh_timer.timeout.connect(self.refresh)

        self.index = QListWidget()
        self.index.setObjectName("sectionIndex")
        self.index.setStyleSheet(INDEX_STYLE)
        self.index.setAccessibleName("Onderdelen van het formulier")
        self.index.setWordWrap(True)
        self.index.setMinimumWidth(220)
        self.index.setMaximumWidth(300)
        self.pages = QStackedWidget()
        self.sections: list[FieldDef] = []
        self.section_pages: list[QScrollArea] = []
        self._build()

        split = QSplitter()
        split.addWidget(self._side_panel())
        split.addWidget(self.pages)
        split.setStretchFactor(1, 1)
        split.setSizes([250, 1000])
        split.setChildrenCollapsible(False)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(split)
        self.index.currentRowChanged.connect(self._show_section)
        self.index.setCurrentRow(0)

        for seq, step in (("Ctrl+PgDown", 1), ("Ctrl+PgUp", -1)):
            sc = QShortcut(QKeySequence(seq), self)
            sc.setContext(Qt.ShortcutContext.WindowShortcut)
            sc.activated.connect(lambda s=step: self.go_to_section(self.current_section() + s))
        for n in range(1, 10):
            sc = QShortcut(QKeySequence(f"Alt+{n}"), self)
            sc.setContext(Qt.ShortcutContext.WindowShortcut)
            sc.activated.connect(lambda n=n: self._jump_theme(n))
        self._loading = False
        self.set_read_only(read_only)

    def _side_panel(self) -> QWidget:
        """The index of sections under its heading ("3 van 8 compleet") and the keys."""
        side = QWidget()
        side.setMinimumWidth(220)
        side.setMaximumWidth(300)
        sl = QVBoxLayout(side)
        sl.setContentsMargins(0, 0, 0, 0)
        sl.setSpacing(0)
        self.index_head = QLabel("Onderdelen")
        self.index_head.setWordWrap(True)
        self.index_head.setObjectName("muted")
        self.index_head.setStyleSheet(SIDE_STYLE + " padding: 10px 10px 2px 12px;")
        sl.addWidget(self.index_head)
        sl.addWidget(self.index, 1)
        keys = QLabel("Ctrl+PgDn / PgUp: ander onderdeel\nAlt+1 … 8: thema T1 … T8")
        keys.setObjectName("muted")
        keys.setWordWrap(True)
        keys.setStyleSheet(SIDE_STYLE + " padding: 8px 10px;")
        sl.addWidget(keys)
        return side

    # -- building --------------------------------------------------------------------------
    def _build(self) -> None:
        """The index and one empty scroll page per section; pages fill in when first shown
        (building every widget up front costs far more than the 150 ms budget)."""
        loose: list[FieldDef] = []
        for fd in self.form.survey:
            if fd.type == "group":
                self.sections.append(fd)
            else:
                loose.append(fd)
        self._groups: list[Section] = [(s.name, s.label, s.hint, s.children) for s in self.sections]
        if loose:  # rows outside any group get their own section at the end
            self._groups.append(("_overig", "Overig", "", tuple(loose)))
        self._built: set[int] = set()
        for name, label, _hint, _children in self._groups:
            scroll = QScrollArea()
            scroll.setWidgetResizable(True)
            scroll.setFrameShape(QFrame.Shape.NoFrame)
            self.pages.addWidget(scroll)
            self.section_pages.append(scroll)
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, name)
            self.index.addItem(item)

    def ensure_page(self, i: int) -> None:
        """Build the widgets of section i (once)."""
        if i in self._built or not 0 <= i < len(self._groups):
            return
        self._built.add(i)
        groups = self._groups
        name, label, hint, children = groups[i]
        was_loading, self._loading = self._loading, True
        try:
            page = QWidget()
            page.setObjectName("formPage")
            page.setAutoFillBackground(True)
            pal = page.palette()
            pal.setColor(page.backgroundRole(), Qt.GlobalColor.white)
            page.setPalette(pal)
            lay = QVBoxLayout(page)
            lay.setContentsMargins(28, 18, 28, 18)
            lay.setSpacing(4)
            title = bold(QLabel(label), 14)
            title.setWordWrap(True)
            lay.addWidget(title)
            if hint:
                h = QLabel(hint)
                h.setObjectName("muted")
                h.setWordWrap(True)
                lay.addWidget(h)
            lay.addSpacing(8)
            before = set(self.blocks)
            self._add_rows(children, lay)
            lay.addStretch(1)
            nav = QHBoxLayout()
            if i > 0:
                prev = QPushButton(f"‹ {groups[i - 1][1]}")
                prev.setAutoDefault(False)
                prev.clicked.connect(lambda _=False, j=i - 1: self.go_to_section(j, focus=True))
                nav.addWidget(prev)
            nav.addStretch(1)
            if i < len(groups) - 1:
                nxt = QPushButton(f"{groups[i + 1][1]} ›")
                nxt.setAutoDefault(False)
                nxt.setToolTip("Volgend onderdeel (Ctrl+PgDn)")
                nxt.clicked.connect(lambda _=False, j=i + 1: self.go_to_section(j, focus=True))
                nav.addWidget(nxt)
            lay.addSpacing(10)
            lay.addLayout(nav)
            for path in set(self.blocks) - before:
                block = self.blocks[path]
                if block.binder is not None:
                    block.binder.set_read_only(self.read_only)
            for rb in self.repeats.values():
                rb.set_read_only(self.read_only)
            self.section_pages[i].setWidget(page)
        finally:
            self._loading = was_loading
        if not self._loading:
            self.refresh()

    def _add_rows(self, rows: tuple[FieldDef, ...], lay: QVBoxLayout) -> None:
        for fd in rows:
            if fd.type == "group":
                box = QWidget()
                inner = QVBoxLayout(box)
                inner.setContentsMargins(0, 8, 0, 0)
                sub = QLabel(fd.label)
                sub.setObjectName("sectionTitle")
                inner.addWidget(sub)
                if fd.hint:
                    h = QLabel(fd.hint)
                    h.setObjectName("muted")
                    h.setWordWrap(True)
                    inner.addWidget(h)
                self._add_rows(fd.children, inner)
                lay.addWidget(box)
                self.containers[fd.name] = box
            elif fd.type == "repeat":
                rb = RepeatBlock(self, fd)
                self.repeats[fd.name] = rb
                rb.rebuild()
                lay.addWidget(rb)
                self.containers[fd.name] = rb
            elif fd.type == "note":
                note = QLabel(fd.label)
                note.setStyleSheet(NOTE_STYLE)
                note.setWordWrap(True)
                note.setMaximumWidth(FIELD_MAX_WIDTH)
                lay.addWidget(note)
                self.containers[fd.name] = note
            elif fd.type == "calculate":
                if not fd.label:
                    continue
                lab = QLabel()
                lab.setObjectName("muted")
                lay.addWidget(lab)
                self.calc_labels[fd.name] = (fd, lab)
                self.containers[fd.name] = lab
            else:
                b = make_binder(self.form, fd, partial(self._top_edited, fd.name))
                b.put(self.answers.get(fd.name))
                block = FieldBlock(fd.name, fd, b)
                self._register_block(fd.name, block)
                lay.addWidget(block)

    def _register_block(self, path: str, block: FieldBlock) -> None:
        self.blocks[path] = block
        self.containers[path] = block
        if block.binder is not None:
            for w in block.binder.inputs:
                w.installEventFilter(self._enter)
                w.installEventFilter(self._focus_out)
                w.setProperty("answerPath", path)

    # -- callbacks the controller implements -------------------------------------------------
    def refresh(self) -> None:
        raise NotImplementedError

    def set_read_only(self, ro: bool) -> None:
        raise NotImplementedError

    def current_section(self) -> int:
        raise NotImplementedError

    def go_to_section(self, row: int, focus: bool = True) -> None:
        raise NotImplementedError

    def _show_section(self, row: int) -> None:
        raise NotImplementedError

    def _jump_theme(self, n: int) -> None:
        raise NotImplementedError

    def _top_edited(self, path: str) -> None:
        raise NotImplementedError

    def _edited(self, path: str) -> None:
        raise NotImplementedError

    def _left_field(self, path: str) -> None:
        raise NotImplementedError
