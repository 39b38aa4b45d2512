"""Coordinator and recorder accounts: the store, logins and sessions, and the command line."""
