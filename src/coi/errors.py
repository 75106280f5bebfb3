"""One exception family for everything a user can get wrong; each class carries its exit code.

The CLI maps these to a message on stderr and the exit code in one place
(``coi.cli.app.main``), so no command prints a traceback for a user's mistake.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an input, located as precisely as we can."""

    message: str
    file: str | None = None
    line: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = self.file
            if self.line is not None:
                where += f":{self.line}"
            where += ": "
        what = f"{self.field}: " if self.field else ""
        return f"{where}{what}{self.message}"


class CoiError(Exception):
    """Base of coi's errors; ``exit_code`` is what the process exits with."""

    exit_code = 2

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.problems = list(problems or [])

    def lines(self) -> list[str]:
        """The lines to show the user: every problem, or the message when there are none."""
        if self.problems:
            return [str(p) for p in self.problems]
        return [self.message]


class UsageError(CoiError):
    """Bad input or usage: a wrong id, a malformed file, an impossible option."""


class InputFileError(UsageError):
    """A file that cannot be loaded; ``problems`` lists every fault found."""


class NotFoundError(UsageError):
    """No record answers to the given id, prefix or name."""


class AmbiguousError(UsageError):
    """More than one record answers to the given prefix or name."""


class DatabaseVersionError(UsageError):
    """The database was made by a newer coi, or is not a coi database."""


class IntegrityFailure(CoiError):
    """The declarations log does not verify."""

    exit_code = 3
