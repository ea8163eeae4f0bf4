"""HTTP on the wire: preparing, sending, timing, bounding and stopping one exchange."""
