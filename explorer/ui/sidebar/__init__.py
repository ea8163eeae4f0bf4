"""The side docks: collections tree, history, environments."""
