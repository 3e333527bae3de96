"""Exponential backoff with jitter for transient failures (a database or broker away)."""

from __future__ import annotations

import random


class Backoff:
    def __init__(self, first: float = 0.2, limit: float = 15.0):
        self.first, self.limit, self._next = first, limit, first

    def peek(self) -> float:
        return self._next

    def next(self) -> float:
        delay = self._next * random.uniform(0.8, 1.2)
        self._next = min(self.limit, self._next * 2)
        return delay

    def reset(self) -> None:
        self._next = self.first
