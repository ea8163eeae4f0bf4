"""Auth schemes that need more than a header: OAuth 2.0 flows and tokens (and signing)."""
