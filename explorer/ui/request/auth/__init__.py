"""Auth pages of the schemes with many settings (see auth_editor.PAGES)."""
