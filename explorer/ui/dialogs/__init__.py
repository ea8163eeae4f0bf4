"""Modal dialogs: save, import, export, code, preferences, settings, conflicts."""
