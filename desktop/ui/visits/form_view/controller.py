"""Qt renderer for a form definition (forms/): the behaviour of the form (controller).

One page per top-level group with a side index that shows which sections are complete.
Keyboard-first: natural tab order, Enter moves to the next field (it never submits),
Ctrl+PgDn / Ctrl+PgUp go to the next/previous section, Alt+1..8 jump to theme T1..T8.
Validation messages appear next to a field when you leave it; required fields carry a *.

`FormView` holds the answers dict (JSON-able, as the engine expects) and emits `changed`
on every edit; it knows nothing about the database. Its widgets are built by
`FormPagesView` (view.py); saving (dirty state, autosave) belongs to whoever shows the form
(the visit window).
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

from desktop.ui.qt import QColor, Qt, QWidget
from desktop.ui.style import ERROR, MUTED, SUCCESS_TEXT, TEXT
from desktop.ui.visits.form_view.blocks import FieldBlock, RepeatBlock
from desktop.ui.visits.form_view.inputs import TYPED_KINDS
from desktop.ui.visits.form_view.view import FormPagesView
from forms import FieldDef, FormState, evaluate


def _field_name(path: str) -> str:
    """'actions[2].owner' -> 'owner'."""
    return path.rsplit(".", 1)[-1].split("[")[0]


class FormView(FormPagesView):
    # -- editing ---------------------------------------------------------------------------
    def _top_edited(self, path: str) -> None:
        if self._loading:
            return
        block = self.blocks[path]
        value = block.binder.get() if block.binder else None
        if value is None or value == []:
            self.answers.pop(path, None)
        else:
            self.answers[path] = value
        self._edited(path)

    def _edited(self, path: str) -> None:
        if self.read_only:
            return
        self.changed.emit()
        name = _field_name(path)
        typed = self.form.has_field(name) and self.form.field(name).type in TYPED_KINDS
        if typed:
            self._refresh_timer.start()  # typing: re-evaluate when the user pauses
        else:
            self.refresh()  # a click: skip logic reacts at once

    def _left_field(self, path: str) -> None:
        """Validate a field once the focus has really left it (not to a sibling button)."""
        try:
            fw = self.focusWidget()
        except RuntimeError:  # the window closed in the meantime
            return
        if fw is not None and fw.property("answerPath") == path:
            return
        self.touched.add(path)
        self.refresh()

    # -- state -----------------------------------------------------------------------------
    def refresh(self) -> None:
        """Evaluate the answers: relevance, calculations, required marks, messages, index."""
        self._refresh_timer.stop()
        state = evaluate(self.form, self.answers, self.today)
        self.state = state
        for path, w in self.containers.items():
            rel = state.is_relevant(path)
            if w.isHidden() == rel:
                w.setVisible(rel)
        messages = state.messages()
        marked: list[tuple[str, FieldBlock | RepeatBlock]] = [
            *self.blocks.items(),
            *self.repeats.items(),
        ]
        for path, block in marked:  # the * and the message at the field
            block.set_required(path in state.required and not self.read_only)
            msg = messages.get(path)
            if msg and (self.show_all or path in self.touched) and not self.read_only:
                block.error.show_error(msg)
            else:
                block.error.clear_error()
        for name, (fd, lab) in self.calc_labels.items():
            v = state.calculated.get(name)
            lab.setText(f"{fd.label}: {'' if v is None else v}")
        self._update_index(state)

    def _update_index(self, state: FormState) -> None:
        progress = {p.name: p for p in state.section_progress()}
        complete = 0
        for row in range(self.index.count()):
            item = self.index.item(row)
            name = item.data(Qt.ItemDataRole.UserRole)
            label = self.sections[row].label if row < len(self.sections) else "Overig"
            p = progress.get(name)
            if p is None:
                mark, tip = "○", "Nog niet ingevuld"
            elif p.issues and (
                self.show_all or any(path in self.touched for path in self._paths_in(name))
            ):
                mark, tip = "⚠", f"{p.issues} punt(en) om na te kijken"
            elif p.complete:
                mark, tip = "✓", "Compleet"
            elif p.started:
                mark, tip = "◐", f"{p.filled} van {p.total} ingevuld"
            else:
                mark, tip = "○", "Nog niet ingevuld"
            if self.containers.get(name) is not None and not state.is_relevant(name):
                mark, tip = "–", "Niet van toepassing"
            text = f"{mark}  {label}"
            if mark == "✓":
                complete += 1
            if item.text() != text:
                item.setText(text)
                item.setToolTip(tip)
                item.setData(Qt.ItemDataRole.AccessibleDescriptionRole, tip)
                # ≥ 4.5:1 on the index background (the grey "n.v.t." was 2.27:1, issue 21)
                colour = {"✓": SUCCESS_TEXT, "⚠": ERROR, "–": MUTED}.get(mark, TEXT)
                item.setForeground(QColor(colour))
        self.index_head.setText(f"Onderdelen · {complete} van {self.index.count()} compleet")

    def _paths_in(self, section: str) -> list[str]:
        sec = next((s for s in self.sections if s.name == section), None)
        if sec is None:
            return []
        names = set()
        stack = list(sec.children)
        while stack:
            f = stack.pop()
            names.add(f.name)
            stack.extend(f.children)
        return [p for p in self.blocks if _field_name(p) in names] + [
            n for n in self.repeats if n in names
        ]

    # -- public ----------------------------------------------------------------------------
    def set_read_only(self, ro: bool) -> None:
        self.read_only = ro
        for block in self.blocks.values():
            if block.binder is not None:
                block.binder.set_read_only(ro)
        for rb in self.repeats.values():
            rb.set_read_only(ro)
        if ro:
            self.show_all = False
        self.refresh()

    def set_answers(self, answers: dict[str, Any]) -> None:
        self.answers = copy.deepcopy(answers)
        self._loading = True
        try:
            for path, block in list(self.blocks.items()):
                if "[" not in path and block.binder is not None:
                    block.binder.put(self.answers.get(path))
            for rb in self.repeats.values():
                rb.rebuild()
        finally:
            self._loading = False
        self.refresh()

    def current_section(self) -> int:
        return self.index.currentRow()

    def _show_section(self, row: int) -> None:
        if row < 0:
            return
        self.ensure_page(row)
        self.pages.setCurrentIndex(row)
        self.section_changed.emit(row)

    def go_to_section(self, row: int, focus: bool = True) -> None:
        row = max(0, min(row, self.index.count() - 1))
        self.index.setCurrentRow(row)
        if focus:
            self._focus_first_in(row)

    def _focus_first_in(self, row: int) -> None:
        name = self.index.item(row).data(Qt.ItemDataRole.UserRole)
        for p in self._paths_in(name):
            block = self.blocks.get(p)
            if (
                block is not None
                and block.binder is not None
                and block.isVisibleTo(self)
                and not block.fd.read_only
            ):
                block.binder.focus.setFocus(Qt.FocusReason.ShortcutFocusReason)
                return
        self.section_pages[row].setFocus()

    def _jump_theme(self, n: int) -> None:
        for row, sec in enumerate(self.sections):
            if sec.name == f"theme_t{n}":
                self.go_to_section(row)
                return
        if n - 1 < self.index.count():
            self.go_to_section(n - 1)

    def section_of(self, path: str) -> int:
        name = _field_name(path)
        for row, sec in enumerate(self.sections):
            if any(name == f.name for f in _walk(sec)):
                return row
        return self.index.count() - 1

    def show_errors(self) -> str | None:
        """Show every message (after a failed 'Afronden'); go to the first; return its path."""
        self.show_all = True
        self.refresh()
        if self.state is None or not self.state.issues:
            return None
        first = self.state.issues[0].path
        self.focus_path(first)
        return first

    def focus_path(self, path: str) -> None:
        self.ensure_page(self.section_of(path))
        self.go_to_section(self.section_of(path), focus=False)
        block = self.blocks.get(path)
        if block is not None and block.binder is not None:
            block.binder.focus.setFocus(Qt.FocusReason.OtherFocusReason)
            self.section_pages[self.current_section()].ensureWidgetVisible(block)
        elif path in self.repeats:
            self.repeats[path].add_button.setFocus()

    def widget_for(self, path: str) -> QWidget:
        """The control of an answer path (tests, focus)."""
        self.ensure_page(self.section_of(path))
        block = self.blocks[path]
        assert block.binder is not None
        return block.binder.widget

    def error_for(self, path: str) -> str:
        self.ensure_page(self.section_of(path))
        block = self.blocks.get(path) or self.repeats.get(path)
        return (
            block.error.text().lstrip("⚠ ").strip() if block and not block.error.isHidden() else ""
        )


def _walk(fd: FieldDef) -> Iterator[FieldDef]:
    yield fd
    for c in fd.children:
        yield from _walk(c)


__all__ = ["FormView"]
