"""Import providers and their locations from a CSV file (`kwaliteitsdialoog import`).

One row per location; the provider columns repeat on every row of that provider. Headers are
Dutch (see COLUMNS and resources/examples/aanbieders_locaties.csv). Excel exports are
accepted: `;` or `,` as delimiter, UTF-8 with or without BOM (Windows-1252 as a fallback).

Every row is validated with desktop.services.validation; every bad row is reported with its
line number in the file and a Dutch reason. Nothing is written unless all rows are valid or
`skip_invalid` is set; what is written, is written in one transaction.

The package (issue 19): `csv_file` reads the file (encoding, delimiter, header, preview),
`rows` checks each row and the file as a whole, `importing` plans and writes in one
transaction. Callers import from here.
"""

from desktop.services.importer.csv_file import (
    Preview,
    _delimiter,
    _norm_header,
    _read_text,
    preview_csv,
)
from desktop.services.importer.importing import ImportReport, import_csv
from desktop.services.importer.rows import (
    COLUMNS,
    REQUIRED,
    RowError,
    _region_lookup,
    header_errors,
)

__all__ = [
    "COLUMNS",
    "REQUIRED",
    "ImportReport",
    "Preview",
    "RowError",
    "_delimiter",
    "_norm_header",
    "_read_text",
    "_region_lookup",
    "header_errors",
    "import_csv",
    "preview_csv",
]
