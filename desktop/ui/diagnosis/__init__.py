"""Kwaliteitsdiagnose UI: location tab, regional overview, search (issue 4)."""
