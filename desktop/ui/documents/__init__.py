"""Stukken (issue 20): the documents panel, add dialog, preview and background jobs."""
