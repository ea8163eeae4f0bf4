"""Requests that answer with many messages, in a run and in `run`: server-sent events
(`sse_run`) and WebSocket connections (`ws_run`). Each collects its messages until the
request's `Stream.collect_messages` arrived or `Stream.collect_seconds` passed; the
checks then read them as the JSON array of `core/streams.messages_json`."""
