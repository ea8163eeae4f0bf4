"""The request editor and its parts: URL, params, headers, auth, body, settings."""
