"""The base of every error Hubbub raises on purpose.

Each is something a user can put right (a bad file, query or flag; a missing or
locked index), and its message says how. A program using the library catches
`HubbubError` for all of them; anything else is a fault in Hubbub.
"""

from __future__ import annotations


class HubbubError(Exception):
    """An error a user can put right; the message says what to do."""
