"""Support for the explainer's tests: hand-made and real exchanges, the Sample API
sweep, REDbot as a peer tool with the comparison's map and responses, and the generator
of docs/EXPLAIN.md's tables."""
