"""Unit tests of the pure cores: no app, no database."""
