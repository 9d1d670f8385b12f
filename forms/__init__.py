"""Declarative form definitions (YAML, one immutable file per published version) and the
pure-Python form engine. No Qt, no database."""
