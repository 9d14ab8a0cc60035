"""One SQLite file for everything the assistant remembers, managed with sqlite-utils."""
