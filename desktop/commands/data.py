"""demo and import (providers/locations from CSV)."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    # Filled in by the demo/import work (issue 2, items 6 and 7).
    return None
