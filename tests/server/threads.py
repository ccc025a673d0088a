"""Racing calls: each on its own thread, all released at once."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def race(calls: list[Callable[[], T]]) -> list[T]:
    """Run every call on its own thread, all starting together; their results, in the order
    they finished."""
    start = threading.Barrier(len(calls))
    results: list[T] = []

    def one(call: Callable[[], T]) -> None:
        start.wait(60)
        results.append(call())

    threads = [threading.Thread(target=one, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return results
