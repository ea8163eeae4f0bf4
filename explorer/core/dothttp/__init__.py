""".http/.rest files (VS Code REST Client, JetBrains HTTP Client, httpyac) and the
JetBrains environment files beside them, in and out.

`parser` reads a file into a collection (`bodies` reads each body), `exporter` writes one
back, `environments` reads and writes `http-client.env.json` and
`http-client.private.env.json`; `syntax` holds what the two directions share, so that
an export reads back into the same requests.
"""
