"""Profile (first start) and About dialogs."""

from __future__ import annotations

import platform
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from db.models.enums import Role
from desktop import __version__
from desktop.ui.errors import route_error
from desktop.ui.qt import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    Qt,
    QVBoxLayout,
    QWidget,
    qVersion,
)
from desktop.ui.style import MUTED
from desktop.ui.widgets import (
    FieldError,
    dialog_buttons,
    muted_label,
    title_label,
    with_error,
)

if TYPE_CHECKING:
    from desktop.services.users import UserInfo

# save(values, done(user), failed(exc)): see ProfileDialog
Save = Callable[[dict[str, Any], Callable[[Any], None], Callable[[BaseException], None]], Any]


class ProfileDialog(QDialog):
    """Who uses this laptop: name, initials, roles. Validated next to each field."""

    def __init__(
        self,
        parent: QWidget | None = None,
        first_start: bool = True,
        current: UserInfo | None = None,
        save: Save | None = None,
    ) -> None:
        """`current` (a UserInfo): edit that user's name, initials and function; roles are
        shown, not edited (a teamleider grants them: Extra › Team…).

        `save(values, done, failed)` stores the profile off the GUI thread (`ctx.run`): the
        dialog closes on `done(user)` (the stored user is `self.saved`) and shows `failed(exc)`
        at the fields. Without it the dialog only checks its fields and closes."""
        super().__init__(parent)
        self.editing = current is not None
        self._save = save
        self.saved: object | None = None
        self.setWindowTitle("Uw profiel" if not first_start else "Welkom bij Kwaliteitsdialoog")
        self.setMinimumWidth(460)
        lay = QVBoxLayout(self)
        if first_start:
            lay.addWidget(title_label("Welkom bij Kwaliteitsdialoog", "sectionTitle"))
            intro = muted_label(
                "Vul uw gegevens in. Uw naam en rol staan bij alles wat u vastlegt, "
                "en bepalen wat u mag goedkeuren (vier-ogenprincipe)."
            )
            lay.addWidget(intro)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.name = QLineEdit()
        self.name.setPlaceholderText("bijvoorbeeld Anna de Vries")
        self.name_error = FieldError(self.name)
        self.initials = QLineEdit()
        self.initials.setMaxLength(10)
        self.initials.setPlaceholderText("bijvoorbeeld AdV")
        self.initials_error = FieldError(self.initials)
        self.function = QLineEdit()
        self.function.setPlaceholderText("functie op brieven, bijvoorbeeld Zorginkoper")
        form.addRow("Naam *", with_error(self.name, self.name_error))
        form.addRow("Initialen *", with_error(self.initials, self.initials_error))
        form.addRow("Functie", self.function)
        self.role_boxes: dict[str, QCheckBox] = {}
        roles_box = QWidget()
        rl = QVBoxLayout(roles_box)
        rl.setContentsMargins(0, 0, 0, 0)
        self.roles_error = FieldError(roles_box)
        if current is not None:
            self.name.setText(current.name)
            self.initials.setText(current.initials)
            self.initials.setModified(True)
            self.function.setText(current.function_title)
            roles = QLabel(
                f"{current.roles_label or 'geen rol'}<br><i>Rollen kent een "
                "teamleider toe (Extra › Team…).</i>"
            )
            roles.setWordWrap(True)
            rl.addWidget(roles)
            form.addRow("Rol(len)", roles_box)
        else:
            for role in Role:
                cb = QCheckBox(role.label)
                self.role_boxes[role.value] = cb
                rl.addWidget(cb)
            rl.addWidget(self.roles_error)
            form.addRow("Rol(len) *", roles_box)
        lay.addLayout(form)
        buttons = dialog_buttons(cancel="Annuleren" if self.editing else "Later")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.buttons = buttons
        self.name.textChanged.connect(self._suggest_initials)

    def _suggest_initials(self, text: str) -> None:
        if not self.initials.isModified():
            parts = [p for p in text.split() if p]
            self.initials.setText(
                "".join(p[0] if p[0].isupper() or i == 0 else p[0] for i, p in enumerate(parts))[
                    :10
                ]
            )

    def values(self) -> dict:
        return {
            "name": self.name.text().strip(),
            "initials": self.initials.text().strip(),
            "function_title": self.function.text().strip(),
            "roles": [k for k, cb in self.role_boxes.items() if cb.isChecked()],
        }

    def show_error(self, error: BaseException) -> None:
        """A service's refusal at its field (the name field for anything without one)."""
        route_error(
            error,
            {"name": self.name_error, "initials": self.initials_error, "roles": self.roles_error},
            self.name_error.show_error,
            self,
        )

    def reject(self) -> None:
        if self._save is not None and not self.buttons.isEnabled():
            return  # saving: wait for the worker's answer (Escape must not lose it)
        super().reject()

    def _saved(self, user: object) -> None:
        self.saved = user
        self.buttons.setEnabled(True)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        self.show_error(exc)

    def _accept(self) -> None:
        for e in (self.name_error, self.initials_error, self.roles_error):
            e.clear_error()
        v = self.values()
        ok = True
        if not v["name"]:
            self.name_error.show_error("Vul uw naam in.")
            ok = False
        if not v["initials"]:
            self.initials_error.show_error("Vul uw initialen in.")
            ok = False
        if not v["roles"] and not self.editing:
            self.roles_error.show_error("Kies minstens één rol.")
            ok = False
        if not ok:
            return
        if self._save is None:
            self.accept()
            return
        self.buttons.setEnabled(False)  # one save at a time; the worker answers
        self._save(v, self._saved, self._failed)


class AboutDialog(QDialog):
    def __init__(self, db_path: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Over Kwaliteitsdialoog")
        lay = QVBoxLayout(self)
        lay.addWidget(title_label("Kwaliteitsdialoog", "pageTitle"))
        text = QLabel(
            f"<p>Versie {__version__}</p>"
            "<p>Kwaliteitssturing verpleeghuiszorg voor zorgkantoren: locatiebezoeken, de "
            "kwaliteitsdiagnose op de acht thema's van het Kwaliteitskader, "
            "kwaliteitsplannen, afwijkingsverzoeken 85/15 met vier-ogenprincipe en "
            "beoordelingsbrieven.</p>"
            f"<p style='color:{MUTED}'>Database: {db_path}<br>"
            f"Python {platform.python_version()} · Qt {qVersion()} · {platform.system()}</p>"
        )
        text.setWordWrap(True)
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("Sluiten")
        lay.addWidget(buttons)
        self.setMinimumWidth(440)
