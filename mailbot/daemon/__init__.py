"""The daemon: one asyncio loop with the listeners, the IMAP readers, the sender, the scheduler and the replay of
parked mail, in one process or several sharing the listening sockets (`listen.workers`)."""
