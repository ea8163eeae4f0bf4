"""The load test window: settings, live charts and tables, saved runs and their comparison."""
