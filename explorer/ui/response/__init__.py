"""The response viewer: body views, details, timing waterfall, preview."""
