"""Sections "Aanvragen", "Te beoordelen" and "Budgetkalender" (issue 5)."""
