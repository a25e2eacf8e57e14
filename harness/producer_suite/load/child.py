"""The load process: Locust headless in a process of its own, results back as JSON.

Started by :func:`harness.producer_suite.load.run.run_load` with the bootstrap in ``load.py``, which
imports ``locust`` (and so gevent's ``monkey.patch_all()``) before anything else, as gevent asks.
Reads a spec file (request, profile, latency limits), runs the profile on a Locust local runner
(``Environment``, ``create_local_runner``, the profile as a ``LoadTestShape``), and writes the
recorder's JSON to the result file.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import gevent
import gevent.event
from locust.env import Environment

from harness.producer_suite.load.profile import LoadProfile
from harness.producer_suite.load.recorder import LoadRecorder
from harness.producer_suite.load.request import LoadRequest
from harness.producer_suite.load.user import ProfileShape, attach_recorder, caller_class, sample_users

__all__ = ["main", "run_local"]

STOP_GRACE_S = 30.0  # beyond the profile and one request timeout, before the run is called stuck


def run_local(
    request: LoadRequest, profile: LoadProfile, thresholds_ms: Sequence[float] = ()
) -> dict[str, Any]:
    """Run ``profile`` with Locust's local runner; the recorder's JSON plus how the run ended."""
    recorder = LoadRecorder(thresholds_ms=tuple(thresholds_ms))
    shape = ProfileShape()
    shape.profile = profile
    environment = Environment(
        user_classes=[caller_class(request, recorder, profile.pause_s)], shape_class=shape
    )
    attach_recorder(environment, recorder)
    runner = environment.create_local_runner()
    stopped = gevent.event.Event()
    environment.events.test_stop.add_listener(lambda **_: stopped.set())
    recorder.t0 = time.time()
    users = gevent.spawn(sample_users, runner, recorder)
    runner.start_shape()
    ended = stopped.wait(timeout=profile.duration_s + request.timeout_s + STOP_GRACE_S)
    finished = time.time()
    users.kill()
    runner.quit()
    result = recorder.to_json()
    result.update(finished=finished, stopped=bool(ended), cpu_warning=bool(runner.cpu_warning_emitted))
    return result


def main(argv: Sequence[str]) -> int:
    """``<spec.json> <result.json>``: exit 0 with the result written, 2 on a bad spec."""
    if len(argv) != 2:
        print("usage: load_child SPEC RESULT", file=sys.stderr)
        return 2
    spec = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    request = LoadRequest.from_json(spec["request"])
    profile = LoadProfile.from_json(spec["profile"])
    result = run_local(request, profile, [float(t) for t in spec.get("thresholds_ms", ())])
    Path(argv[1]).write_text(json.dumps(result), encoding="utf-8")
    return 0
