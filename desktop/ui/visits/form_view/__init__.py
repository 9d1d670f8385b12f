"""Qt renderer for a form definition (forms/), split TagStudio-style (issue 19):

* `values`     what the user types <-> what the engine stores (dates, times, numbers)
* `inputs`     the input widget per field kind and its `Binder` (view)
* `blocks`     a field block (label, control, message at the field) and a repeat (view)
* `view`       `FormPagesView`: the section index and the pages (view)
* `controller` `FormView`: answers, evaluation, messages, navigation (behaviour)

Every name stays importable from `desktop.ui.visits.form_view`.
"""

from desktop.ui.visits.form_view.blocks import FIELD_MAX_WIDTH, FieldBlock, RepeatBlock
from desktop.ui.visits.form_view.controller import FormView
from desktop.ui.visits.form_view.inputs import RADIO_MAX, Binder, ChoiceGroup, make_binder
from desktop.ui.visits.form_view.values import parse_date, parse_integer, parse_time, show_date
from desktop.ui.visits.form_view.view import INDEX_STYLE, NOTE_STYLE, FormPagesView

__all__ = [
    "FIELD_MAX_WIDTH",
    "INDEX_STYLE",
    "NOTE_STYLE",
    "RADIO_MAX",
    "Binder",
    "ChoiceGroup",
    "FieldBlock",
    "FormPagesView",
    "FormView",
    "RepeatBlock",
    "make_binder",
    "parse_date",
    "parse_integer",
    "parse_time",
    "show_date",
]
