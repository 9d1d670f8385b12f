"""Print the preset dictionary for compressing op payloads (db/sync/stored.py), built from
the schema: the names of every synced table's columns as they appear in an operation's
payload (`"name":` in sorted order, with the value prefix the column's type encodes to), the
values of the code lists (db/models/enums.py), the field names and choice values of the
published forms, and the bookkeeping every payload carries (placed last: deflate reaches the
end of a dictionary with the shortest distances).

    python scripts/make_payload_dictionary.py > /tmp/dictionary.txt

The dictionary in db/sync/stored.py is frozen: a payload stored with it must decompress
for ever. A schema change does not change it (new names are simply compressed without help);
a new dictionary means a new version byte next to the old one.
"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _prefix(col) -> str:  # type: ignore[no-untyped-def]
    import sqlalchemy as sa

    from db.types import JSONText, Money, UTCDateTime

    ty = col.type
    if isinstance(ty, UTCDateTime):
        return '{"$dt":"20'
    if isinstance(ty, Money | sa.Numeric):
        return '{"$dec":"'
    if isinstance(ty, sa.Date):
        return '{"$date":"20'
    if isinstance(ty, sa.LargeBinary):
        return '{"$b64":"'
    if isinstance(ty, sa.Integer | sa.Boolean | JSONText):
        return ""
    return '"'


def _skeleton(table) -> str:  # type: ignore[no-untyped-def]
    cols = sorted((c for c in table.columns if c.name != "id"), key=lambda c: c.name)
    return "{" + ",".join(f'"{c.name}":{_prefix(c)}' for c in cols) + "}"


def build() -> str:
    from db.models import ENTITIES, enums
    from forms.registry import REGISTRY

    parts: list[str] = []
    for name in sorted(vars(enums)):
        e = getattr(enums, name)
        if isinstance(e, type) and issubclass(e, Enum) and e.__module__ == enums.__name__:
            parts.extend(f'"{m.value}"' for m in e)
    for ff in REGISTRY.files():
        form = REGISTRY.load(ff.form_id, ff.version)
        parts.extend(f'"{f.name}":' for f in form.walk())
        for choices in form.choices.values():
            parts.extend(f'"{c.value}"' for c in choices)
    parts.extend(_skeleton(ENTITIES[e].__table__) for e in sorted(ENTITIES))
    # Every payload: who, when, the tombstone; UTC timestamps end in +00:00.
    parts.append('"author_id":"')
    parts.append('"created_at":{"$dt":"20')
    parts.append('+00:00"},"deleted_at":null,')
    parts.append('+00:00"},"updated_at":{"$dt":"20')
    seen: set[str] = set()
    unique = [p for p in parts if not (p in seen or seen.add(p))]  # type: ignore[func-returns-value]
    return ",".join(unique)


if __name__ == "__main__":
    sys.stdout.write(build())
