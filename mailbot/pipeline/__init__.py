"""The pipeline, declared as data: one tuple of stage names, each a module with `run(ctx)`."""
STAGES = ("parse", "dedupe", "screen", "route", "thread", "guard", "command", "act", "persist")
