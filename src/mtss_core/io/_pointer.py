"""JSON pointers (RFC 6901): the one place their tokens are escaped and split.

>>> pointer("teams", 3, "members", 0, "roles")
'/teams/3/members/0/roles'
>>> escape("a/b~c"), tokens("/a~1b~0c/2")
('a~1b~0c', ['a/b~c', '2'])
"""

from __future__ import annotations

__all__ = ["escape", "pointer", "tokens"]


def escape(token: object) -> str:
    """One token, escaped: ``~`` as ``~0``, ``/`` as ``~1``."""
    return str(token).replace("~", "~0").replace("/", "~1")


def pointer(*parts: object) -> str:
    """The pointer to ``parts`` (keys and indexes), each escaped."""
    return "".join("/" + escape(p) for p in parts)


def tokens(text: str) -> list[str]:
    """The unescaped tokens of a pointer (``""`` is the whole document: none)."""
    return [t.replace("~1", "/").replace("~0", "~") for t in text[1:].split("/")] if text else []
