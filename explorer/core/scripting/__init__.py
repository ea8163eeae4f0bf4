"""Python scripts run before a request and after its response, in a child process.

`protocol` is what parent and child exchange (one JSON message each way) and the limits;
`process` starts the child and always comes back with an answer; `child` is the program
the child runs; `api` is what a script sees (`request`, `response`, `variables`,
`expect`, `test`, `console`). This is process isolation with limits, not a security
sandbox: whether a collection's scripts run at all is decided by trust
(`explorer.application.scripting.ScriptTrust`).

Nothing is imported here, so that the child starts with the standard library alone.
"""
