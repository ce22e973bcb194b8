"""What a service raises for a person to act on; views and the API turn these into messages."""


class InvalidInput(ValueError):
    """Input that breaks a rule; `fields` maps each field to what is wrong with it."""

    def __init__(self, fields: dict[str, list[str]]):
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in fields.items()))
        self.fields = fields


class Conflict(Exception):
    """Someone else changed the record since the caller read it."""
