"""Extra › Gedeelde opslag…: create (teamleider), join with an invitation, choose the moved
folder of the same store, and invite a colleague."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from desktop.ui import files
from desktop.ui.context import AppContext
from desktop.ui.dialog_parts import close_buttons
from desktop.ui.qt import (
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from desktop.ui.widgets import FieldError, muted_label


def _load(db: Any) -> dict[str, Any]:
    from desktop.services import sync as svc

    return {"status": svc.status(db), "users": svc.team_users(db)}


class _FolderField(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.edit = QLineEdit()
        self.edit.setPlaceholderText("bijv. S:\\Zorginkoop\\Kwaliteitsdialoog of een OneDrive-map")
        browse = QPushButton("Bladeren…")
        browse.clicked.connect(self._browse)
        lay.addWidget(self.edit, 1)
        lay.addWidget(browse)

    def _browse(self) -> None:
        path = files.existing_folder(self, "Map van de gedeelde opslag kiezen", "opslag")
        if path:
            self.edit.setText(path)

    def text(self) -> str:
        return self.edit.text().strip()


def _action_box(
    lay: QVBoxLayout,
    title: str,
    rows: list[tuple[str, QWidget]],
    error_for: QWidget,
    action: tuple[str, Callable[[], Any]],
) -> tuple[QGroupBox, FieldError, QPushButton]:
    """One thing the dialog can do: its fields, the error line under them and its button."""
    box = QGroupBox(title)
    form = QFormLayout(box)
    error = FieldError(error_for)
    button = QPushButton(action[0])
    button.clicked.connect(action[1])
    for label, widget in rows:
        form.addRow(label, widget)
    form.addRow("", error)
    form.addRow("", button)
    lay.addWidget(box)
    return box, error, button


class StoreDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Gedeelde opslag")
        self.setMinimumWidth(560)
        lay = QVBoxLayout(self)
        self.summary = QLabel("Bezig met laden…")
        self.summary.setWordWrap(True)
        lay.addWidget(self.summary)

        self.join_folder = _FolderField()
        self.join_phrase = QLineEdit()
        self.join_phrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.join_box, self.join_error, self.join_button = _action_box(
            lay,
            "Aansluiten met een uitnodiging van uw teamleider",
            [("Map:", self.join_folder), ("Wachtzin:", self.join_phrase)],
            self.join_phrase,
            ("Aansluiten", self._join),
        )
        self.create_folder = _FolderField()
        self.create_box, self.create_error, self.create_button = _action_box(
            lay,
            "Nieuwe gedeelde opslag maken (teamleider)",
            [("Lege map:", self.create_folder)],
            self.create_folder.edit,
            ("Opslag maken", self._create),
        )
        self.invite_user = QComboBox()
        self.invite_phrase = QLineEdit()
        self.invite_phrase.setPlaceholderText("minstens 8 tekens; geef hem persoonlijk door")
        self.invite_box, self.invite_error, self.invite_button = _action_box(
            lay,
            "Collega uitnodigen (teamleider)",
            [("Collega:", self.invite_user), ("Wachtzin:", self.invite_phrase)],
            self.invite_phrase,
            ("Uitnodiging klaarzetten", self._invite),
        )
        # What happened to the join image after an invitation (accessible: it is a label).
        self.invite_note = muted_label("")
        self.invite_note.setWordWrap(True)
        invite_form = self.invite_box.layout()
        assert isinstance(invite_form, QFormLayout)
        invite_form.addRow("", self.invite_note)
        self.move_folder = _FolderField()
        self.move_box, self.move_error, self.move_button = _action_box(
            lay,
            "De opslag staat nu in een andere map",
            [("Map:", self.move_folder)],
            self.move_folder.edit,
            ("Deze map gebruiken", self._move),
        )

        lay.addStretch(1)
        lay.addWidget(close_buttons(self))
        self.reload()

    def reload(self) -> None:
        self.ctx.run(_load, self.ctx.db, on_done=self._show, on_error=self._failed)

    def _failed(self, exc: BaseException) -> None:
        self.summary.setText(
            getattr(exc, "message", None) or "De gegevens konden niet worden geladen."
        )

    def _show(self, data: dict[str, Any]) -> None:
        st = data["status"]
        self.status = st
        if st.configured:
            self.summary.setText(
                f"Deze database synchroniseert met de gedeelde opslag in <b>{st.store_path}</b>."
                f"<br>Wachtende wijzigingen: {st.pending_ops} · conflicten: {st.conflicts} · "
                f"in quarantaine: {st.quarantined}"
            )
        else:
            self.summary.setText(
                "Deze database is nog niet gekoppeld aan een gedeelde opslag. "
                "Sluit aan met de uitnodiging van uw teamleider, of maak als "
                "teamleider een nieuwe opslag in een lege map."
            )
        self.join_box.setVisible(not st.configured)
        self.create_box.setVisible(not st.configured)
        self.invite_box.setVisible(st.configured)
        self.move_box.setVisible(st.configured)
        self.invite_user.clear()
        for uid, name in data["users"]:
            if uid != st.user_id:
                self.invite_user.addItem(name, uid)

    # -- actions ---------------------------------------------------------------------------
    def _run(
        self,
        fn: Any,
        *args: Any,
        error: FieldError,
        done_text: str,
        then: Callable[[], None] | None = None,
    ) -> None:
        error.clear_error()

        def done(_result: Any) -> None:
            self.ctx.status_message(done_text, 8000)
            self.ctx.announce("sync_store")  # the status bar stops saying "Niet gekoppeld"
            self.reload()
            if then is not None:
                then()

        def failed(exc: BaseException) -> None:
            error.show_error(getattr(exc, "message", None) or "Dit lukte niet.")

        self.ctx.run(fn, *args, on_done=done, on_error=failed, label="Bezig…")

    def _create(self) -> None:
        from desktop.services import sync as svc

        if not self.create_folder.text():
            self.create_error.show_error("Kies een lege map.")
            return
        user = self.ctx.user
        if user is None:
            self.create_error.show_error("Maak eerst uw profiel aan (Extra › Mijn profiel).")
            return
        self._run(
            svc.create_store,
            self.ctx.db,
            self.create_folder.text(),
            user.id,
            error=self.create_error,
            done_text="Gedeelde opslag aangemaakt.",
        )

    def _join(self) -> None:
        from desktop.services import sync as svc

        if not self.join_folder.text():
            self.join_error.show_error("Kies de map van de gedeelde opslag.")
            return
        self._run(
            svc.join_store,
            self.ctx.db,
            self.join_folder.text(),
            self.join_phrase.text(),
            error=self.join_error,
            done_text="Aangesloten bij de gedeelde opslag.",
        )

    def _invite(self) -> None:
        from desktop.services import sync as svc

        uid = self.invite_user.currentData()
        if uid is None or self.ctx.user is None:
            self.invite_error.show_error("Kies een collega.")
            return
        self._run(
            svc.invite_member,
            self.ctx.db,
            uid,
            self.invite_phrase.text(),
            self.ctx.user.id,
            error=self.invite_error,
            done_text="Uitnodiging klaargezet. Geef de wachtzin persoonlijk door.",
            then=self._refresh_image,
        )

    def _refresh_image(self) -> None:
        """After an invitation: the owner lays a fresh join image in the store, so the new
        colleague's laptop takes one file instead of every change (issue 18). Best effort:
        without it the colleague still joins, only slower."""
        from desktop.services import sync as svc

        def done(name: str | None) -> None:
            if name:
                self.invite_note.setText(
                    "Aansluitbestand klaargezet: de laptop van de collega is in seconden bij."
                )

        def failed(exc: BaseException) -> None:
            reason = getattr(exc, "message", None) or "onbekende oorzaak"
            self.invite_note.setText(
                f"Geen aansluitbestand gemaakt ({reason}). De collega kan toch aansluiten; "
                "dat duurt alleen langer."
            )

        self.invite_note.setText("Aansluitbestand voor de nieuwe collega maken…")
        self.ctx.run(
            svc.refresh_join_image,
            self.ctx.db,
            on_done=done,
            on_error=failed,
            label="Aansluitbestand maken…",
        )

    def _move(self) -> None:
        from desktop.services import sync as svc

        self._run(
            svc.choose_store,
            self.ctx.db,
            self.move_folder.text(),
            error=self.move_error,
            done_text="De gedeelde opslag wordt nu in deze map gezocht.",
        )
