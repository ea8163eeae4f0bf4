"""The command palette's search: fuzzy matching and the index of what it lists (no Qt)."""
