"""Locatiebezoek (SiteVisit): drafts that autosave, completion, corrections, history.

Lifecycle: DRAFT (concept) -> COMPLETED (afgerond, read-only). A correction of a completed
visit is a new DRAFT revision (`revision_of_id`, `revision_reason`) on the **same form
version**; completing it makes it the current visit of the chain. A visit is always
evaluated with its own `(form_id, form_version)`.

Every write goes through one UnitOfWork (one transaction). Saving a draft has two tiers:

* `buffer_answers` -- every few seconds while typing: the answers go into this laptop's
  local, never-synced settings table (one small upsert, no op-log entry), so a crash or a
  kill loses at most the last few seconds, without flooding the sync op-log with a copy of
  the whole form every three seconds;
* `autosave` -- on a section change, on closing, and at least every minute: the answers go
  into the synced SiteVisit record (one op) and the local buffer is cleared in the same
  transaction.

Reading a draft (`get_visit`, `list_drafts`) overlays a newer local buffer, so recovery
after a crash sees every word up to the last buffered save.

The package, cut along the visit's life (issue 19); callers import from here:

* `model`         VisitInfo, Observation, the form of a visit
* `buffer`        the local crash buffer of a draft and its overlay
* `reading`       get_visit, list_visits, list_drafts, revision_chain
* `drafts`        create_visit, buffer_answers, autosave, discard_draft, start_correction
* `completion`    complete_visit and its follow-up actions
* `observations`  a visit's theme observations and observation_to_note
"""

from desktop.services.visits.buffer import BUFFER_PREFIX
from desktop.services.visits.completion import complete_visit
from desktop.services.visits.drafts import (
    autosave,
    buffer_answers,
    create_visit,
    discard_draft,
    start_correction,
)
from desktop.services.visits.model import (
    DEFAULT_FORM_ID,
    SIGNAL_NOTE_KIND,
    THEME_CODES,
    Observation,
    VisitInfo,
)
from desktop.services.visits.observations import observation_to_note, observations
from desktop.services.visits.reading import get_visit, list_drafts, list_visits, revision_chain

__all__ = [
    "BUFFER_PREFIX",
    "DEFAULT_FORM_ID",
    "SIGNAL_NOTE_KIND",
    "THEME_CODES",
    "Observation",
    "VisitInfo",
    "autosave",
    "buffer_answers",
    "complete_visit",
    "create_visit",
    "discard_draft",
    "get_visit",
    "list_drafts",
    "list_visits",
    "observation_to_note",
    "observations",
    "revision_chain",
    "start_correction",
]
