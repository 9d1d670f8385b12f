"""Where the main window sits and what it shows of itself, remembered between sessions:
size, position and state (QSettings) and the left bar of sections (Beeld › Onderdelenbalk
tonen, Ctrl+Shift+B)."""

from __future__ import annotations

from desktop.ui.qt import QAction, QMainWindow, QStackedWidget, Qt, QWidget

SIDE_BAR_KEY = "venster/onderdelenbalk"
SIDE_BAR_SHORTCUT = "Ctrl+Shift+B"


class WindowPlacement(QMainWindow):
    """Mixed into MainWindow (after the view, which builds side_panel and stack)."""

    side_panel: QWidget
    stack: QStackedWidget
    act_side_bar: QAction

    def _restore_side_bar(self) -> None:
        from desktop.ui.files import app_settings

        visible = app_settings().value(SIDE_BAR_KEY, True)
        visible = visible not in (False, "false", "0", 0)  # an ini file keeps it as text
        self.side_panel.setVisible(visible)
        self.act_side_bar.setChecked(visible)

    def set_side_bar_visible(self, visible: bool) -> None:
        """Show or fold away the left bar of sections; the choice is saved at once."""
        from desktop.ui.files import app_settings

        if not visible and self.side_panel.isAncestorOf(self.focusWidget()):
            self.stack.setFocus(Qt.FocusReason.OtherFocusReason)  # never leave the focus hidden
        self.side_panel.setVisible(visible)
        self.act_side_bar.blockSignals(True)
        self.act_side_bar.setChecked(visible)
        self.act_side_bar.blockSignals(False)
        s = app_settings()
        s.setValue(SIDE_BAR_KEY, visible)
        s.sync()

    def side_bar_visible(self) -> bool:
        return not self.side_panel.isHidden()

    def restore_geometry(self) -> bool:
        """Size, position and state of the last session (QSettings), if it still fits."""
        from desktop.ui.files import app_settings

        s = app_settings()
        geometry = s.value("venster/geometrie")
        ok = bool(geometry) and self.restoreGeometry(geometry)
        state = s.value("venster/toestand")
        if state:
            self.restoreState(state)
        return ok

    def save_geometry(self) -> None:
        from desktop.ui.files import app_settings

        s = app_settings()
        s.setValue("venster/geometrie", self.saveGeometry())
        s.setValue("venster/toestand", self.saveState())
        s.sync()
