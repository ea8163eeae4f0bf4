"""The httpbin-style toolbox: endpoints for exercising any HTTP client.

Each module is one family of endpoints (echo, status, timing, …) with its own
Blueprint; ``snapshot`` and ``limits`` are the shared helpers they use.
"""
