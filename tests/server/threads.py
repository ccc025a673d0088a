"""Racing calls: each on its own thread, all released at once."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def race(calls: list[Callable[[], T]]) -> list[T]:
    """Run every call on its own thread, all starting together; their results, in the order
    they finished. A call that raised is raised here, after all have ended."""
    start = threading.Barrier(len(calls))
    results: list[T] = []
    errors: list[BaseException] = []

    def one(call: Callable[[], T]) -> None:
        start.wait(60)
        try:
            results.append(call())
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=one, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    if errors:
        raise errors[0]
    assert len(results) == len(calls), "a racing call never finished"
    return results
