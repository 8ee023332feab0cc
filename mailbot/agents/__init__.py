"""Agents working from their own mail client: authenticated commands and the subject-tag grammar."""
