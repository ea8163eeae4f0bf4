"""The Messages tab of a WebSocket request (method WS): subprotocols, the saved messages
and when a run stops collecting. It takes the Body tab's place for such a request."""
