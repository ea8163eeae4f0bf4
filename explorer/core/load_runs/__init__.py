"""A load test as the window sees it: the `--progress json` lines of `python -m explorer
load`, the runs saved in the data folder, and the comparison of two of them."""
