"""Domain errors that services raise and every interface (API, panel, commands) shows alike."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager


class RuleViolation(Exception):
    """A business rule refused a change (plan limit, missing consent...). Nothing was saved.

    `field` names what the merchant must change; `code` is stable for integrations. One exception
    may carry several `violations` of the same change (see `Violations`): `field`, `message` and
    `code` are then the first one's.
    """

    def __init__(self, field: str, message: str, *, code: str):
        super().__init__(message)
        self.field = field
        self.message = message
        self.code = code
        self.violations: tuple[RuleViolation, ...] = (self,)

    @classmethod
    def combine(cls, violations: Sequence[RuleViolation]) -> RuleViolation:
        first = violations[0]
        combined = cls(first.field, first.message, code=first.code)
        combined.violations = tuple(each for violation in violations for each in violation.violations)
        return combined

    def as_dict(self) -> dict:
        found: dict = {}
        for violation in self.violations:
            found.setdefault(violation.field, []).append(violation.message)
        return {**found, "code": self.code}


class Violations:
    """Runs independent checks of one change and keeps what each refused, so that one answer names
    every problem:

        found = Violations()
        with found.check():
            check_subject(...)
        with found.check():
            check_body(...)
        found.raise_any()
    """

    def __init__(self) -> None:
        self.found: list[RuleViolation] = []

    @contextmanager
    def check(self) -> Iterator[None]:
        try:
            yield
        except RuleViolation as violation:
            self.found.append(violation)

    def __len__(self) -> int:
        return len(self.found)

    def raise_any(self) -> None:
        if len(self.found) == 1:
            raise self.found[0]
        if self.found:
            raise RuleViolation.combine(self.found)
