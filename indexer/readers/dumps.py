"""What the dump readers share: epoch dates and the order of a thread.

Reddit, Hacker News and CSV exports give comments with a parent and a date, in any
order; each reader turns them into the one thread order Hubbub numbers from 1.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import TypeVar

Node = TypeVar("Node")


def depth_first(
    nodes: Sequence[Node],
    key: Callable[[Node], str],
    parent: Callable[[Node], str | None],
    order: Callable[[Node], tuple],
) -> list[tuple[Node, str | None]]:
    """Nodes in thread order, each with the parent key it keeps.

    Every reply follows the comment it answers and that comment's earlier replies;
    siblings go by `order`. A node whose parent is not among `nodes` keeps no parent
    and starts a thread of its own among the top-level ones. A loop of parents (only
    a broken file has one) is cut at its first node by `order`, placed after the rest.
    An explicit stack, not recursion, so that no thread is too deep to read.
    """
    known = {key(node) for node in nodes}
    children: dict[str, list[Node]] = {}
    roots: list[Node] = []
    for node in nodes:
        above = parent(node)
        if above is not None and above in known and above != key(node):
            children.setdefault(above, []).append(node)
        else:
            roots.append(node)
    for siblings in children.values():
        siblings.sort(key=order)
    placed: list[tuple[Node, str | None]] = []
    seen: set[str] = set()

    def walk(start: Node) -> None:
        stack: list[tuple[Node, str | None]] = [(start, None)]
        while stack:
            node, above = stack.pop()
            name = key(node)
            if name in seen:
                continue
            seen.add(name)
            placed.append((node, above))
            stack.extend((child, name) for child in reversed(children.get(name, ())))

    for root in sorted(roots, key=order):
        walk(root)
    if len(seen) < len(known):
        for node in sorted((n for n in nodes if key(n) not in seen), key=order):
            walk(node)
    return placed


def epoch_date(value: object) -> datetime | None:
    """Seconds since 1970 (an int, a float or a string of either) as a naive UTC datetime."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            return None
    if not isinstance(value, int | float):
        return None
    try:
        return datetime.fromtimestamp(value, UTC).replace(tzinfo=None)
    except (OverflowError, OSError, ValueError):
        return None
