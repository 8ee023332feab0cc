"""Scheduled work: APScheduler is only the alarm clock; every run claims its own row in the database."""
