"""WebSocket connections (RFC 6455) for a request whose method is WS, without Qt.

`connection.open_connection` opens the socket itself (DNS, connect, TLS timed as the
HTTP transport times them), then lets websockets' sync client do the upgrade on it, so
the handshake is shown as a normal exchange (`exchange.Response`, status 101). The
connection then sends and receives messages as `core.streams.StreamMessage` records.
"""
