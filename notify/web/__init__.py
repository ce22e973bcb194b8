"""What every feature shares: the form kit (`forms`) and the API field types (`fields`)."""
