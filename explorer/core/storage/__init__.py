"""Everything the app keeps on disk: collections as folders of YAML files, environments,
the secret store, the request history (SQLite) and the autosaved session of open tabs.

No Qt here; the Qt layer calls these functions and watches the files.
"""
