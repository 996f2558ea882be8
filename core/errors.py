"""Domain errors that services raise and every interface (API, panel, commands) shows alike."""


class RuleViolation(Exception):
    """A business rule refused a change (plan limit, missing consent...). Nothing was saved.

    `field` names what the merchant must change; `code` is stable for integrations.
    """

    def __init__(self, field: str, message: str, *, code: str):
        super().__init__(message)
        self.field = field
        self.message = message
        self.code = code

    def as_dict(self) -> dict:
        return {self.field: [self.message], "code": self.code}
