"""Thin adapters: they translate a transport to accept() and the outcome back to the transport's answer."""
