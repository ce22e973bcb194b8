"""What a service raises for a person to act on; views and the API turn these into messages."""


class InvalidInput(ValueError):
    """Input that breaks a rule; `fields` maps each field to what is wrong with it."""

    def __init__(self, fields: dict[str, list[str]]):
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in fields.items()))
        self.fields = fields

    @property
    def messages(self) -> str:
        """Every problem as one line for a person, without the field names."""
        return " ".join(" ".join(v) for v in self.fields.values())


class Conflict(Exception):
    """Someone else changed the record since the caller read it."""
