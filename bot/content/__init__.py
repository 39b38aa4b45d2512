"""The content coordinators write: loading, schema, checks, readability, and turning it into messages."""
