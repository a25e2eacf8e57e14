"""The target file's ``[load]`` section: which contract version the load cases call, and their shape.

Every value has Inera's default (load_profile.py); a target sets only what it changes, e.g. shorter
runs for a quick check, or a contract version other than the first one declared::

    [load]
    contract = "GetCareDocumentation:3.0"
    duration_s = 180              # Inera 6.1: 10 callers for 3 minutes
    recovery_stages_s = [30, 300, 30, 60]   # Inera 6.2: baseline, ramp 10 -> 100, peak, recovery

The response-time limits are the TKBs' (30 s description, 27 s actoutcome and logistics), or the
``[producer] max_response_time_s`` a target sets lower.
"""

from __future__ import annotations

from dataclasses import dataclass

from harness.producer_suite.load.profile import DEMO_6_1, INERA_6_1, INERA_6_2, SOAPUI_DELAY, LoadProfile

__all__ = ["SECTION", "LoadSettings"]

SECTION = "load"
_RECOVERY = tuple(stage.duration_s for stage in INERA_6_2.stages)


@dataclass(frozen=True, slots=True)
class LoadSettings:
    """``[load]``: the load cases' contract version, callers, durations and pauses."""

    contract: str = ""  # "NAME:VERSION" of a declared contract; "" the first declared one
    users: int = INERA_6_1.peak_users
    duration_s: float = INERA_6_1.duration_s
    short_duration_s: float = DEMO_6_1.duration_s  # the variant `conformance demo` runs
    pause_s: tuple[float, float] = SOAPUI_DELAY
    recovery_users: tuple[int, int] = (INERA_6_2.stages[0].users, INERA_6_2.peak_users)
    recovery_stages_s: tuple[float, float, float, float] = (
        _RECOVERY[0],
        _RECOVERY[1],
        _RECOVERY[2],
        _RECOVERY[3],
    )
    recovery_settle_s: float = 10.0  # left out at the start of the baseline and recovery windows
    timeout_s: float = 60.0  # per connect and per read; above the response-time limits, so slow is not lost

    def __post_init__(self) -> None:
        # Building the profiles checks every number (a bad one is a ValueError: a target error).
        self.inera_6_1()
        self.short_6_1()
        self.inera_6_2()
        if self.timeout_s <= 0:
            raise ValueError("timeout_s must be positive")

    def inera_6_1(self) -> LoadProfile:
        return LoadProfile.steady(
            INERA_6_1.name, users=self.users, duration_s=self.duration_s, pause_s=self.pause_s
        )

    def short_6_1(self) -> LoadProfile:
        return LoadProfile.steady(
            DEMO_6_1.name, users=self.users, duration_s=self.short_duration_s, pause_s=self.pause_s
        )

    def inera_6_2(self) -> LoadProfile:
        base, peak = self.recovery_users
        if peak <= base:
            raise ValueError(f"recovery_users: the peak ({peak}) must be above the baseline ({base})")
        return LoadProfile.recovery(
            INERA_6_2.name,
            base_users=base,
            peak_users=peak,
            stage_s=self.recovery_stages_s,
            pause_s=INERA_6_2.pause_s,
        )
