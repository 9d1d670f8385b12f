"""Answer the next modal question box the way a user does: read it, click a button by its
Dutch text. Call *before* the click that opens the box (exec() blocks until answered)."""

from __future__ import annotations


def answer_next(button_text: str, attempts: int = 250) -> list[str]:
    """Click `button_text` in the next modal QMessageBox; returns [the box's text] once answered."""
    from desktop.ui.qt import QApplication, QMessageBox, QTimer

    seen: list[str] = []

    def poll(left: int = attempts) -> None:
        boxes = [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, QMessageBox) and w.isVisible()
        ]
        box = boxes[-1] if boxes else None
        if box is not None:
            for button in box.buttons():
                if button.text().replace("&", "") == button_text:
                    seen.append(box.text())
                    button.click()
                    return
            raise AssertionError(
                f"no button {button_text!r} in {[b.text() for b in box.buttons()]}"
            )
        if left:
            QTimer.singleShot(20, lambda: poll(left - 1))

    QTimer.singleShot(0, poll)
    return seen
