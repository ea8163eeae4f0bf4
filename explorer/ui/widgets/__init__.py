"""Small widgets and styling shared by every region of the window."""
