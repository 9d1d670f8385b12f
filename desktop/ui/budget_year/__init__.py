"""Views of the budget year after the decision: monitoring, herschikking (issue 16)."""
