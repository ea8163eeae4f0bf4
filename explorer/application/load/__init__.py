"""Load tests of a collection on Locust (`python -m explorer load`), Qt-free.

The command line (explorer/cli/load) reads its arguments into a `LoadJob` (plan.py) and
hands it, pickled on a pipe, to a child process (child.py) where Locust runs: gevent
monkey-patches the standard library of the process that imports it, so neither the
window nor the command line's own process ever imports locust or gevent. In the child,
each virtual user (user.py) runs the selected requests in order through the run engine
(application/running), stats.py turns Locust's statistics into the `--progress json`
lines, thresholds.py judges `--fail-if` rules and reports.py writes the HTML and CSV.
"""
