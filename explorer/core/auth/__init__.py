"""Auth beyond a fixed header: OAuth 2.0 flows and tokens, OAuth 1.0a and AWS SigV4 signing."""
