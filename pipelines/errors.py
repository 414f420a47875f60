"""Domain errors: the library raises these; the CLI turns them into one-line messages."""
from __future__ import annotations


class XddError(Exception):
    """Base class of every error a user can cause (bad input, missing file, corrupt database)."""


class DatabaseError(XddError):
    """The knowledge base cannot be opened or is not an xdd database."""


class InputError(XddError):
    """An input file is missing or unreadable."""


class UnknownIndicator(XddError):
    """An indicator that the indicator table does not know."""
