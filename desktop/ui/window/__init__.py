"""The main window's parts (issue 19): `view` builds the widgets, `desktop.ui.main_window`
is the controller; menus, status bar, window placement and the provider/region page each have
their own module. Import the window itself from `desktop.ui.main_window`."""
