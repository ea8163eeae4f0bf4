"""Comparing two responses without Qt: JSON structurally, text line by line, headers as rows.

Every function here is bounded (lines, changes, work) and can be stopped from another
thread through a `Budget`, so the window runs them on a worker and drops them when the
dialog closes.
"""
