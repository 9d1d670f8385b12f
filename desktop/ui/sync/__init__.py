"""Sync UI: "Synchroniseren", the "Gedeelde opslag" dialog, conflicts and the status bar."""
