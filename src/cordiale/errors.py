"""One exception tree. Every message says what went wrong and what to do about it."""

from __future__ import annotations


class CordialeError(Exception):
    """Base of every error cordiale raises on purpose."""


class InputError(CordialeError):
    """An input could not be read (the batch goes on; the failure is recorded)."""

    def __init__(self, origin: str, reason: str, line: int | None = None) -> None:
        self.origin = origin
        self.reason = reason
        self.line = line
        where = f"{origin} line {line}" if line is not None else origin
        super().__init__(f"{where}: {reason}")

    def __reduce__(self):  # keep it picklable across processes
        return (type(self), (self.origin, self.reason, self.line))


class ConfigError(CordialeError):
    """A setting is missing or wrong."""


class ModelNotFoundError(ConfigError):
    """The spaCy pipeline named in the settings is not installed."""


class StoreError(CordialeError):
    """The database file cannot be opened or is of an unknown schema version."""


class DataFileError(CordialeError):
    """A gazetteer or ontology data file is malformed."""
