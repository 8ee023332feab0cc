"""Everything we send: rendering, the transactional outbox, and the sender task."""
