"""Qt user interface. The only place that imports Qt (through desktop/ui/qt.py)."""
