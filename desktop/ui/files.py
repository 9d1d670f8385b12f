"""File dialogs that start where the user keeps files: the folder used last for that kind of
file (remembered in the app settings), else the user's Documents folder. After saving, the
status bar offers to open what was saved. The dialogs speak Dutch through qtbase_nl
(desktop.ui.dutch)."""

from __future__ import annotations

import os
import re
from pathlib import Path

from desktop.ui.qt import (
    QDesktopServices,
    QFileDialog,
    QLabel,
    QMainWindow,
    QPushButton,
    QSettings,
    QStandardPaths,
    QTimer,
    QUrl,
    QWidget,
    shiboken_is_valid,
)

OFFER_MS = 30_000


def app_settings() -> QSettings:
    """The app's settings file in its data folder (so KWALITEITSDIALOOG_DATA_DIR moves it too)."""
    from desktop.services.paths import data_dir

    return QSettings(str(data_dir() / "instellingen.ini"), QSettings.Format.IniFormat)


def documents_folder() -> str:
    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return docs if docs and os.path.isdir(docs) else str(Path.home())


def _kind(flt: str, suggested: str = "") -> str:
    m = re.search(r"\*\.(\w+)", flt)
    if m:
        return m.group(1).lower()
    suffix = Path(suggested).suffix.lstrip(".").lower()
    return suffix or "bestanden"


def start_folder(kind: str) -> str:
    last = app_settings().value(f"mappen/{kind}", "")
    return str(last) if last and os.path.isdir(str(last)) else documents_folder()


def remember_folder(kind: str, folder: str) -> None:
    if folder:
        s = app_settings()
        s.setValue(f"mappen/{kind}", folder)
        s.sync()


def _start(kind: str, suggested: str) -> str:
    if suggested and os.path.isabs(suggested):
        return suggested
    folder = start_folder(kind)
    return os.path.join(folder, suggested) if suggested else folder


def save_file_name(
    parent: QWidget | None, title: str, suggested: str = "", flt: str = "", kind: str | None = None
) -> tuple[str, str]:
    """QFileDialog.getSaveFileName, starting in the remembered folder for this kind of file."""
    kind = kind or _kind(flt, suggested)
    path, chosen = QFileDialog.getSaveFileName(parent, title, _start(kind, suggested), flt)
    if path:
        remember_folder(kind, os.path.dirname(path))
    return path, chosen


def open_file_name(
    parent: QWidget | None, title: str, flt: str = "", kind: str | None = None
) -> tuple[str, str]:
    kind = kind or _kind(flt)
    path, chosen = QFileDialog.getOpenFileName(parent, title, start_folder(kind), flt)
    if path:
        remember_folder(kind, os.path.dirname(path))
    return path, chosen


def open_file_names(
    parent: QWidget | None, title: str, flt: str = "", kind: str | None = None
) -> tuple[list[str], str]:
    kind = kind or "bijlagen"
    paths, chosen = QFileDialog.getOpenFileNames(parent, title, start_folder(kind), flt)
    if paths:
        remember_folder(kind, os.path.dirname(paths[0]))
    return paths, chosen


def existing_folder(parent: QWidget | None, title: str, kind: str = "mappen") -> str:
    folder = QFileDialog.getExistingDirectory(parent, title, start_folder(f"map-{kind}"))
    if folder:
        remember_folder(f"map-{kind}", folder)
    return folder


def offer_open(
    widget: QWidget | None, path: str | os.PathLike[str], what: str = "Opgeslagen"
) -> None:
    """Say in the main window's status bar that `path` was saved, with *Openen* and
    *Map openen* buttons for half a minute (never a modal question after every save: the
    user may be in the middle of something)."""
    # ctx.window may be a stand-in without Qt (tests, the CLI's screenshot): then say nothing
    window = widget.window() if isinstance(widget, QWidget) else None
    if not isinstance(window, QMainWindow):
        return
    path = str(path)
    bar = window.statusBar()
    for old in getattr(window, "_offer_buttons", []):
        if shiboken_is_valid(old):
            bar.removeWidget(old)
            old.deleteLater()
    is_folder = os.path.isdir(path)
    label = QLabel(f"{what}: {os.path.basename(path.rstrip(os.sep)) or path}")
    label.setObjectName("offerText")
    label.setToolTip(path)
    buttons: list[QWidget] = [label]
    open_button = QPushButton("Map openen" if is_folder else "Openen")
    open_button.setObjectName("offerOpen")
    open_button.setToolTip(path)
    open_button.clicked.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(path)))
    buttons.append(open_button)
    if not is_folder:
        folder_button = QPushButton("Map openen")
        folder_button.setObjectName("offerFolder")
        folder_button.setToolTip(os.path.dirname(path))
        folder_button.clicked.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(os.path.dirname(path)))
        )
        buttons.append(folder_button)
    for b in buttons:
        bar.addWidget(b)
    bar.clearMessage()  # a temporary message would hide the offer
    window._offer_buttons = buttons  # type: ignore[attr-defined]

    def expire() -> None:
        for b in buttons:
            if shiboken_is_valid(b):
                bar.removeWidget(b)
                b.deleteLater()

    QTimer.singleShot(OFFER_MS, expire)
