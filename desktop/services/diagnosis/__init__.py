"""Kwaliteitsdiagnose: notes per provider or location, the top three verbeterpunten and the
diagnosis view per location and per provider.

The NZa found that knowledge about quality stays "in de hoofden" and is not brought together
in a coherent kwaliteitsdiagnose per location (seed 004); this package brings the ratings,
notes and visit signals of one location together in one read (<= 50 ms).

Cut along the glossary (issue 19); callers import from here:

* `notes`         NoteInfo and reading the notes (`notes_for`)
* `note_editing`  add / edit / delete notes, the top three, the lock of an approved decision
* `from_visits`   theme signals from a visit's answers, disagreement, visits to link
* `location`      the diagnosis of one location
* `provider`      the diagnosis of a provider
"""

from desktop.services.diagnosis.from_visits import (
    SIGNAL_LABELS,
    VisitChoice,
    disagreement,
    visit_theme_signals,
    visits_for,
)
from desktop.services.diagnosis.location import (
    ChangeItem,
    LocationDiagnosis,
    ThemeDiagnosis,
    VisitRef,
    location_diagnosis,
)
from desktop.services.diagnosis.note_editing import (
    add_note,
    delete_note,
    edit_note,
    lock_notes,
    lock_provider_notes_in,
    set_top_priorities,
)
from desktop.services.diagnosis.notes import (
    _NOTE_COLS,
    MAX_TOP,
    NoteInfo,
    _note_from_row,
    notes_for,
)
from desktop.services.diagnosis.provider import (
    ProviderDiagnosis,
    ProviderLocationRow,
    ProviderTheme,
    provider_diagnosis,
)

__all__ = [
    "MAX_TOP",
    "SIGNAL_LABELS",
    "_NOTE_COLS",
    "ChangeItem",
    "LocationDiagnosis",
    "NoteInfo",
    "ProviderDiagnosis",
    "ProviderLocationRow",
    "ProviderTheme",
    "ThemeDiagnosis",
    "VisitChoice",
    "VisitRef",
    "_note_from_row",
    "add_note",
    "delete_note",
    "disagreement",
    "edit_note",
    "location_diagnosis",
    "lock_notes",
    "lock_provider_notes_in",
    "notes_for",
    "provider_diagnosis",
    "set_top_priorities",
    "visit_theme_signals",
    "visits_for",
]
