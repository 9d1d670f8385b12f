"""Menu "Extra › Teamserver…": connection settings of the PostgreSQL team server.

Host, port, database, user and TLS mode (sslmode) are kept as the store address of this
database (without password); the password goes to the OS keyring only, never to a file.
"Verbinding testen" checks the server and the store on it; "Opslaan" also points this database
at the server (only if it holds the same store); "Nu synchroniseren" runs one round.
"""

from __future__ import annotations

from typing import Any

from desktop.services.teamserver import (
    check_server,
    load_settings,
    save_settings,
    server_url,
    sync_with_server,
)
from desktop.ui.context import AppContext
from desktop.ui.dialog_parts import dialog_layout
from desktop.ui.qt import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)
from desktop.ui.widgets import FieldError

SSL_MODES = [
    ("require", "Versleuteld (require)"),
    ("verify-full", "Versleuteld en servercertificaat controleren (verify-full)"),
    ("prefer", "Versleuteld indien mogelijk (prefer)"),
    ("disable", "Niet versleuteld (alleen voor een testserver)"),
]


# -- work done on the database worker (no Qt): desktop.services.teamserver -------------------
def _message(exc: BaseException) -> str:
    return getattr(exc, "message", None) or str(exc)


# -- the dialog -------------------------------------------------------------------------------
class TeamserverDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("teamserverDialog")
        lay = dialog_layout(
            self,
            "Teamserver",
            intro="Voor teams die de gedeelde map ontgroeid zijn: synchroniseer via een "
            "PostgreSQL-server van uw organisatie. U werkt gewoon offline door; de "
            "server vervangt alleen de gedeelde map.",
            muted=False,
        )
        form = QFormLayout()
        self.host = QLineEdit()
        self.host.setPlaceholderText("bijv. teamserver.zorgkantoor.local")
        self.host.setAccessibleName("Server")
        self.host_error = FieldError(self.host)
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(5432)
        self.port.setAccessibleName("Poort")
        self.database = QLineEdit()
        self.database.setAccessibleName("Database")
        self.database_error = FieldError(self.database)
        self.user = QLineEdit()
        self.user.setAccessibleName("Gebruikersnaam")
        self.user_error = FieldError(self.user)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName("Wachtwoord")
        self.sslmode = QComboBox()
        self.sslmode.setAccessibleName("Versleuteling")
        for code, label in SSL_MODES:
            self.sslmode.addItem(label, code)
        form.addRow("Server", self.host)
        form.addRow("", self.host_error)
        form.addRow("Poort", self.port)
        form.addRow("Database", self.database)
        form.addRow("", self.database_error)
        form.addRow("Gebruikersnaam", self.user)
        form.addRow("", self.user_error)
        form.addRow("Wachtwoord", self.password)
        form.addRow("Versleuteling", self.sslmode)
        lay.addLayout(form)
        note = QLabel(
            "Het wachtwoord wordt alleen in de beveiligde sleutelbos van deze computer "
            "bewaard, nooit in een bestand."
        )
        note.setWordWrap(True)
        note.setObjectName("hint")
        lay.addWidget(note)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.status.setObjectName("teamserverStatus")
        lay.addWidget(self.status)

        buttons = QDialogButtonBox()
        self.test_button = QPushButton("Verbinding testen")
        self.save_button = QPushButton("Opslaan")
        self.sync_button = QPushButton("Nu synchroniseren")
        close = QPushButton("Sluiten")
        buttons.addButton(self.test_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.sync_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(close, QDialogButtonBox.ButtonRole.RejectRole)
        self.test_button.clicked.connect(self.test_connection)
        self.save_button.clicked.connect(self.save)
        self.sync_button.clicked.connect(self.sync_now)
        close.clicked.connect(self.reject)
        lay.addWidget(buttons)
        self.resize(560, 420)
        self.ctx.run(
            load_settings,
            ctx.db,
            on_done=self._loaded,
            on_error=lambda e: self._say(_message(e), error=True),
        )

    # -- helpers -----------------------------------------------------------------------------
    def _loaded(self, data: dict[str, Any]) -> None:
        self.host.setText(data["host"])
        self.port.setValue(int(data["port"]))
        self.database.setText(data["database"])
        self.user.setText(data["user"])
        i = self.sslmode.findData(data["sslmode"])
        self.sslmode.setCurrentIndex(max(i, 0))
        if data["has_password"]:
            self.password.setPlaceholderText("(bewaard in de sleutelbos)")
        self.sync_button.setEnabled(bool(data["host"]))

    def _say(self, text: str, *, error: bool = False) -> None:
        self.status.setText(("⚠ " if error else "") + text)
        self.status.setProperty("error", error)

    def url(self) -> str | None:
        """The address from the fields, or None after showing what is missing."""
        ok = True
        for widget, err, label in (
            (self.host, self.host_error, "de server"),
            (self.database, self.database_error, "de database"),
            (self.user, self.user_error, "uw gebruikersnaam"),
        ):
            text = widget.text().strip()
            if not text:
                err.show_error(f"Vul {label} in.")
                ok = False
            elif any(c in text for c in " /@?#:"):
                err.show_error("Gebruik geen spaties of de tekens / @ ? # :")
                ok = False
            else:
                err.clear_error()
        if not ok:
            return None
        return server_url(
            self.host.text().strip(),
            self.port.value(),
            self.database.text().strip(),
            self.user.text().strip(),
            self.sslmode.currentData(),
        )

    def _busy(self, busy: bool) -> None:
        for b in (self.test_button, self.save_button, self.sync_button):
            b.setEnabled(not busy)

    # -- actions -----------------------------------------------------------------------------
    def test_connection(self) -> None:
        url = self.url()
        if url is None:
            return
        self._start(
            "Verbinding maken…",
            "Teamserver testen",
            self._tested,
            check_server,
            url,
            self.password.text(),
        )

    def _start(self, saying: str, label: str, then: Any, fn: Any, *args: Any) -> None:
        """Buttons off, say what happens, `fn(*args)` on the worker; buttons on and `then(result)`
        when it is done (a failure: `_failed`)."""
        self._busy(True)
        self._say(saying)
        self.ctx.run(
            fn,
            *args,
            label=label,
            on_done=lambda result: (self._busy(False), then(result)),
            on_error=self._failed,
        )

    def _tested(self, hub_id: str) -> None:
        self._say(f"Verbinding in orde. Op de server staat gedeelde opslag {hub_id[:8]}….")

    def _failed(self, exc: BaseException) -> None:
        self._busy(False)
        self._say(_message(exc), error=True)

    def save(self) -> None:
        url = self.url()
        if url is None:
            return
        self._start(
            "Opslaan…",
            "Teamserver opslaan",
            self._saved,
            save_settings,
            self.ctx.db,
            url,
            self.password.text(),
        )

    def _saved(self, root: str) -> None:
        self.password.clear()
        self.password.setPlaceholderText("(bewaard in de sleutelbos)")
        self._say(f"Opgeslagen. Deze database synchroniseert voortaan met {root}.")

    def sync_now(self) -> None:
        self._start(
            "Synchroniseren…",
            "Synchroniseren met de teamserver",
            self._synced,
            sync_with_server,
            self.ctx.db,
        )

    def _synced(self, summary: Any) -> None:
        text = (
            f"Gesynchroniseerd: {summary.pushed} verstuurd, {summary.pulled} opgehaald, "
            f"{summary.conflicts} conflict(en)."
        )
        if summary.problems:
            text += "\n" + "\n".join(f"• {p}" for p in summary.problems)
        self._say(text, error=bool(summary.problems))
        self.ctx.announce("*")


def open_teamserver_dialog(ctx: AppContext, window: QWidget) -> None:
    TeamserverDialog(ctx, window).exec()
