"""The collection runner: its setup, live results and reports."""
