"""Checking responses: assertions evaluated and variables captured from a response."""
