"""Notifications made into messages: `batch.load_notices` reads what a batch needs in a few
queries, `message.render` turns one notice into a message, `sections` writes its rows."""
