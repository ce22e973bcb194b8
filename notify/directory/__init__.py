"""The directory of authorities, health bodies and contacts."""
