"""The main window and the helpers that run its tabs, docks and menus."""
