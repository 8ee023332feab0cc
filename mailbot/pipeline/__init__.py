"""The pipeline, declared as data: one tuple of stage names, each a module with `run(ctx)`."""
STAGES = ("parse", "screen", "route", "scan", "draft", "dedupe", "thread", "guard", "objection", "command", "act", "persist")
# The leading stages read only the message and the configuration, never the database: they run before the
# transaction opens, so the database's write lock (SQLite has one for all processes) is held only for work
# that needs it (draft even renders ahead the mail a new ticket would send). dedupe opens the transaction;
# whatever stopped a message before it (a disposition, an error) takes effect right after it, so a
# redelivery is still a no-op.
PREPARE = ("parse", "screen", "route", "scan", "draft")
assert STAGES[:len(PREPARE)] == PREPARE and STAGES[len(PREPARE)] == "dedupe"
