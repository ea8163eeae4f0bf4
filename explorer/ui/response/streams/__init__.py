"""Live views of streams: server-sent events and WebSocket messages."""
