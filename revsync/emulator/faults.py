"""Seeded fault injection: latency, 429, 5xx, lost responses, slow responses, late commits.

Every decision comes from one seeded random generator, so a test that sends the same
requests in the same order sees the same faults.
"""

from __future__ import annotations

import random
import re
import threading
from dataclasses import asdict, dataclass, field, fields
from typing import Any

WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


@dataclass
class FaultConfig:
    seed: int = 0
    latency_ms: float = 0.0  # added to every matching request
    latency_jitter_ms: float = 0.0  # plus a uniform random 0..jitter
    p429: float = 0.0  # answered 429 + Retry-After before any processing
    retry_after: float = 1.0
    p5xx: float = 0.0  # answered 500/502/503 before any processing
    p_drop_after_write: float = 0.0  # write committed, then the connection is closed unanswered
    p_slow: float = 0.0  # request processed, then the answer is held back
    slow_seconds: float = 5.0
    p_late_commit: float = 0.0  # write held before it commits, then committed anyway (issue 12)
    late_commit_seconds: float = 15.0  # how long it is held; set it above the client's timeout
    methods: list[str] = field(default_factory=list)  # empty: every method
    path_pattern: str = ""  # regular expression on the path; empty: every API path

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FaultConfig:
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"unknown fault settings: {', '.join(unknown)}")
        config = cls(**data)
        for name in ("p429", "p5xx", "p_drop_after_write", "p_slow", "p_late_commit"):
            value = getattr(config, name)
            if not 0.0 <= float(value) <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1")
        if config.late_commit_seconds < 0:
            raise ValueError("late_commit_seconds must not be negative")
        re.compile(config.path_pattern)
        return config


@dataclass
class Decision:
    delay: float = 0.0
    status: int | None = None  # injected error status, answered before processing
    drop_after_write: bool = False
    slow: float = 0.0
    late_commit: float = 0.0  # seconds the write waits before it commits

    @property
    def label(self) -> str | None:
        if self.status:
            return f"injected-{self.status}"
        if self.late_commit:
            return "late-commit"
        if self.drop_after_write:
            return "dropped-after-write"
        if self.slow:
            return "slow-response"
        return None


class Faults:
    def __init__(self, config: FaultConfig | None = None) -> None:
        self._lock = threading.Lock()
        self.configure(config or FaultConfig())

    @property
    def config(self) -> FaultConfig:
        return self._config

    def configure(self, config: FaultConfig | None = None, **changes: Any) -> FaultConfig:
        """Replace the configuration (and re-seed), e.g. `faults.configure(p429=0.2, seed=7)`."""
        base = config or FaultConfig()
        merged = FaultConfig.from_dict({**asdict(base), **changes})
        with self._lock:
            self._config = merged
            self._rng = random.Random(merged.seed)
            self._pattern = re.compile(merged.path_pattern) if merged.path_pattern else None
        return merged

    def clear(self) -> None:
        self.configure(FaultConfig())

    def decide(self, method: str, path: str) -> Decision:
        with self._lock:
            c = self._config
            if c.methods and method not in c.methods:
                return Decision()
            if self._pattern is not None and not self._pattern.search(path):
                return Decision()
            rng = self._rng
            decision = Decision()
            decision.delay = c.latency_ms / 1000.0
            if c.latency_jitter_ms:
                decision.delay += rng.uniform(0, c.latency_jitter_ms) / 1000.0
            if c.p429 and rng.random() < c.p429:
                decision.status = 429
                return decision
            if c.p5xx and rng.random() < c.p5xx:
                decision.status = rng.choice((500, 502, 503))
                return decision
            if c.p_late_commit and method in WRITE_METHODS and rng.random() < c.p_late_commit:
                decision.late_commit = c.late_commit_seconds
                return decision
            if c.p_drop_after_write and method in WRITE_METHODS:
                decision.drop_after_write = rng.random() < c.p_drop_after_write
            if not decision.drop_after_write and c.p_slow and rng.random() < c.p_slow:
                decision.slow = c.slow_seconds
            return decision
