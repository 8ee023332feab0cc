"""Use cases outside a message's flow: statements, and the purge of data kept under an exemption. Each reads the
store, decides, and queues its mail through the outbox in the same transaction."""
