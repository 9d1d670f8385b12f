"""Extra › Gedeelde opslag…: create (teamleider), join with an invitation, choose the moved
folder of the same store, and invite a colleague."""

from __future__ import annotations

from typing import Any

from desktop.ui import files
from desktop.ui.context import AppContext
from desktop.ui.qt import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from desktop.ui.widgets import FieldError


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

        box = QGroupBox("Aansluiten met een uitnodiging van uw teamleider")
        form = QFormLayout(box)
        self.join_folder = _FolderField()
        self.join_phrase = QLineEdit()
        self.join_phrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.join_error = FieldError(self.join_phrase)
        self.join_button = QPushButton("Aansluiten")
        self.join_button.clicked.connect(self._join)
        form.addRow("Map:", self.join_folder)
        form.addRow("Wachtzin:", self.join_phrase)
        form.addRow("", self.join_error)
        form.addRow("", self.join_button)
        lay.addWidget(box)
        self.join_box = box

        box = QGroupBox("Nieuwe gedeelde opslag maken (teamleider)")
        form = QFormLayout(box)
        self.create_folder = _FolderField()
        self.create_error = FieldError(self.create_folder.edit)
        self.create_button = QPushButton("Opslag maken")
        self.create_button.clicked.connect(self._create)
        form.addRow("Lege map:", self.create_folder)
        form.addRow("", self.create_error)
        form.addRow("", self.create_button)
        lay.addWidget(box)
        self.create_box = box

        box = QGroupBox("Collega uitnodigen (teamleider)")
        form = QFormLayout(box)
        self.invite_user = QComboBox()
        self.invite_phrase = QLineEdit()
        self.invite_phrase.setPlaceholderText("minstens 8 tekens; geef hem persoonlijk door")
        self.invite_error = FieldError(self.invite_phrase)
        self.invite_button = QPushButton("Uitnodiging klaarzetten")
        self.invite_button.clicked.connect(self._invite)
        form.addRow("Collega:", self.invite_user)
        form.addRow("Wachtzin:", self.invite_phrase)
        form.addRow("", self.invite_error)
        form.addRow("", self.invite_button)
        lay.addWidget(box)
        self.invite_box = box

        box = QGroupBox("De opslag staat nu in een andere map")
        form = QFormLayout(box)
        self.move_folder = _FolderField()
        self.move_error = FieldError(self.move_folder.edit)
        self.move_button = QPushButton("Deze map gebruiken")
        self.move_button.clicked.connect(self._move)
        form.addRow("Map:", self.move_folder)
        form.addRow("", self.move_error)
        form.addRow("", self.move_button)
        lay.addWidget(box)
        self.move_box = box

        lay.addStretch(1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("Sluiten")
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
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
    def _run(self, fn: Any, *args: Any, error: FieldError, done_text: str) -> None:
        error.clear_error()

        def done(_result: Any) -> None:
            self.ctx.status_message(done_text, 8000)
            self.ctx.announce("sync_store")  # the status bar stops saying "Niet gekoppeld"
            self.reload()

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
