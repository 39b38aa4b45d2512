"""The databases on one machine (SQLite) or many (PostgreSQL): engines and the hand-off database."""
