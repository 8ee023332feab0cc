"""Tickets as pure rules: the vocabulary every other part speaks, the ticket's life, its priority and subjects.

Nothing here touches the database or the network; the pipeline, the store and the templates all take these
names from here, so a status or an event kind is spelt in exactly one place.
"""
