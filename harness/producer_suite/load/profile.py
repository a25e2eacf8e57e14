"""Load profiles: how many concurrent callers, for how long, in which stages (Inera's 6.x load cases).

Inera's self-declaration test suites for journal producers (``test-suite/<Contract>-doc.html``,
load cases 6.x) run SoapUI load tests: 6.1.1 "verifiera att systemet kan hantera minst 10 samtidiga
trådar" with Threads 10, Strategy Simple, Test Delay 1000 ms, Random 0.5, Limit 180 s; 6.1.2 an
endurance run (5 threads, 30 minutes); 6.2.1 "utsätta systemet för maximal last och ... verifiera
att systemet automatiskt återhämtar sig" with Strategy Thread from 10 to 100 threads over 300 s. The
TKBs' SLA: "Tjänsteproducenten ska hantera minst 10 samtidiga frågor" (TKB
clinicalprocess:healthcond:description §4, SLA krav).

A profile is a sequence of stages; Locust runs it as a ``LoadTestShape`` (load_user.py), the same
in one process and in Locust's distributed mode. Each caller pauses between an answer and its
next request for a random time in ``pause_s`` (SoapUI's Test Delay 1000 ms with Random 0.5 is
0.5 to 1 s); (0, 0) sends the next request at once, as SoapUI's Thread strategy does.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import Any

from harness.core.measurements import LoadPhase

__all__ = [
    "DEMO_6_1",
    "SOAPUI_DELAY",
    "INERA_6_1",
    "INERA_6_2",
    "PROFILES",
    "LoadProfile",
    "LoadStage",
]


@dataclass(frozen=True, slots=True)
class LoadStage:
    """Run ``users`` concurrent callers for ``duration_s``, starting or stopping ``spawn_rate`` a second."""

    name: str
    users: int
    duration_s: float
    spawn_rate: float

    def __post_init__(self) -> None:
        if self.users < 1:
            raise ValueError(f"load stage {self.name!r}: users must be at least 1, not {self.users}")
        if self.duration_s <= 0 or self.spawn_rate <= 0:
            raise ValueError(f"load stage {self.name!r}: duration and spawn rate must be positive")


@dataclass(frozen=True, slots=True)
class LoadProfile:
    """A named sequence of stages; the whole run lasts the sum of their durations."""

    name: str
    stages: tuple[LoadStage, ...]
    pause_s: tuple[float, float] = (0.0, 0.0)  # (shortest, longest) pause between answer and next call

    def __post_init__(self) -> None:
        if not self.stages:
            raise ValueError(f"load profile {self.name!r} has no stages")
        if not 0 <= self.pause_s[0] <= self.pause_s[1]:
            raise ValueError(f"load profile {self.name!r}: pause_s must be (shortest, longest), not negative")

    @classmethod
    def steady(
        cls, name: str, *, users: int, duration_s: float, pause_s: tuple[float, float] = (0.0, 0.0)
    ) -> LoadProfile:
        """``users`` callers, all started within the first second, for ``duration_s``."""
        stage = LoadStage("steady", users=users, duration_s=duration_s, spawn_rate=float(users))
        return cls(name, (stage,), pause_s)

    @classmethod
    def recovery(
        cls,
        name: str,
        *,
        base_users: int,
        peak_users: int,
        stage_s: tuple[float, float, float, float],
        pause_s: tuple[float, float] = (0.0, 0.0),
    ) -> LoadProfile:
        """Baseline, a linear ramp to the peak, the peak held, then back to the baseline (Inera 6.2).

        ``stage_s`` is (baseline, ramp, peak, recovery) in seconds.
        """
        baseline, ramp, peak, recovery = stage_s
        stages = (
            LoadStage("baseline", base_users, baseline, float(base_users)),
            LoadStage("ramp", peak_users, ramp, max((peak_users - base_users) / ramp, 0.1)),
            LoadStage("peak", peak_users, peak, float(peak_users)),
            LoadStage("recovery", base_users, recovery, float(peak_users)),
        )
        return cls(name, stages, pause_s)

    @property
    def duration_s(self) -> float:
        return sum(stage.duration_s for stage in self.stages)

    @property
    def peak_users(self) -> int:
        return max(stage.users for stage in self.stages)

    def phases(self) -> tuple[LoadPhase, ...]:
        """The stages as spans of time since the load started (for the report's plot)."""
        spans, start = [], 0.0
        for stage in self.stages:
            spans.append(LoadPhase(stage.name, start, start + stage.duration_s, stage.users))
            start += stage.duration_s
        return tuple(spans)

    def stage_at(self, seconds: float) -> LoadStage | None:
        """The stage running ``seconds`` after the start; None once the profile is over."""
        for phase, stage in zip(self.phases(), self.stages, strict=True):
            if seconds < phase.end_s:
                return stage
        return None

    def describe(self) -> str:
        if len(self.stages) == 1:
            stage = self.stages[0]
            return f"{stage.users} concurrent callers for {stage.duration_s:g} s"
        users = " → ".join(str(stage.users) for stage in self.stages)
        return f"{users} concurrent callers over {self.duration_s:g} s"

    def scaled(self, factor: float) -> LoadProfile:
        """The same profile with every stage ``factor`` times as long (short runs for tests and demos)."""
        stages = tuple(
            replace(
                s,
                duration_s=s.duration_s * factor,
                spawn_rate=s.spawn_rate / factor if s.name == "ramp" else s.spawn_rate,
            )
            for s in self.stages
        )
        return replace(self, stages=stages)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "pause_s": list(self.pause_s),
            "stages": [
                {"name": s.name, "users": s.users, "duration_s": s.duration_s, "spawn_rate": s.spawn_rate}
                for s in self.stages
            ],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> LoadProfile:
        stages = tuple(
            LoadStage(str(s["name"]), int(s["users"]), float(s["duration_s"]), float(s["spawn_rate"]))
            for s in data["stages"]
        )
        shortest, longest = data.get("pause_s", (0.0, 0.0))
        return cls(str(data["name"]), stages, (float(shortest), float(longest)))


SOAPUI_DELAY = (0.5, 1.0)  # SoapUI Simple strategy: Test Delay 1000 ms, Random 0.5

# Inera 6.1.1: 10 threads for 180 s, each pausing 0.5-1 s between calls.
INERA_6_1 = LoadProfile.steady("Inera 6.1", users=10, duration_s=180.0, pause_s=SOAPUI_DELAY)
# Inera 6.2.1: maximal load, 10 to 100 threads over 300 s without pauses. The 30 s baseline before,
# the 30 s at the peak and the 60 s back at 10 callers (to judge the recovery against the baseline,
# where Inera's text suggests one call afterwards) are this harness's choice.
INERA_6_2 = LoadProfile.recovery(
    "Inera 6.2", base_users=10, peak_users=100, stage_s=(30.0, 300.0, 30.0, 60.0)
)
# Inera 6.1 shortened to 20 seconds: shown in the demo.
DEMO_6_1 = LoadProfile.steady("Inera 6.1, 20-second variant", users=10, duration_s=20.0, pause_s=SOAPUI_DELAY)

PROFILES: Mapping[str, LoadProfile] = MappingProxyType(
    {"inera-6.1": INERA_6_1, "inera-6.2": INERA_6_2, "demo-6.1": DEMO_6_1}
)
