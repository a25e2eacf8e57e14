"""The load engine's pure parts: percentiles, the bounded recorder, profiles, answer judging."""

from __future__ import annotations

import json

import pytest

from harness.producer_suite.load.outcome import answer_error, exception_error
from harness.producer_suite.load.profile import DEMO_6_1, INERA_6_1, INERA_6_2, PROFILES, LoadProfile
from harness.producer_suite.load.recorder import FAILURE_SAMPLES, LoadRecorder, Sample, percentile, rounded_ms
from harness.producer_suite.load.request import LoadRequest
from harness.producer_suite.load.result import summarise
from tests.producer_suite.load_fakes import FAULT, GOOD

EXPECT = "GetCareDocumentationResponse"


def test_rounding_and_percentiles_follow_locust() -> None:
    assert [rounded_ms(x) for x in (3.4, 99.6, 123.0, 1_234.0, 27_400.0)] == [3, 100, 120, 1_200, 27_000]
    histogram = {ms: 1 for ms in range(1, 101)}  # 1..100 ms, one answer each
    assert [percentile(histogram, f) for f in (0.5, 0.9, 0.95, 0.99, 1.0)] == [50, 90, 95, 99, 100]
    assert percentile({}, 0.5) == 0
    assert percentile({7: 3}, 0.99) == 7


def sample(note: str, elapsed: float = 1.0) -> Sample:
    return Sample(0.0, elapsed, 500 if note else 200, (), (), b"", note)


def test_the_recorder_keeps_a_bounded_sample_and_the_slowest_answer() -> None:
    recorder = LoadRecorder(thresholds_ms=(27_000.0,))
    for n in range(200):
        error = "HTTP 500" if n % 2 else None
        elapsed = 30_000.0 if n == 150 else 5.0
        recorder.record(100.0 + n / 100, elapsed, error)
        if recorder.wants(error, elapsed):
            recorder.keep(sample(error or "", elapsed))
    assert (recorder.requests, recorder.errors, dict(recorder.over)) == (200, 100, {27_000.0: 1})
    data = json.loads(json.dumps(recorder.to_json()))
    assert len(data["samples"]) == 3 + FAILURE_SAMPLES + 1  # first three, failures up to the cap, the slowest
    assert max(s["elapsed_ms"] for s in data["samples"]) == 30_000.0


def test_error_kinds_are_bounded() -> None:
    recorder = LoadRecorder()
    for n in range(100):
        recorder.record(0.0, 1.0, f"HTTP {400 + n}")
    assert len(recorder.error_kinds) == 21 and recorder.error_kinds["other"] == 80


def test_recorders_merge_by_wall_clock_time() -> None:
    first, second = LoadRecorder(t0=1000.0), LoadRecorder(t0=1002.0)
    first.record(1000.5, 10.0, None)
    second.record(1002.5, 20.0, "timeout (no answer in time)")
    first.merge(second.to_json())
    assert (first.requests, first.errors, sorted(first.seconds)) == (2, 1, [0, 2])
    assert first.seconds[2].histogram == {20: 1} and first.histogram == {10: 1, 20: 1}


def test_a_worker_drains_its_counts_and_keeps_its_sample_budget() -> None:
    worker, master = LoadRecorder(t0=50.0), LoadRecorder(t0=50.0)
    for report in range(3):
        for _ in range(10):
            worker.record(50.0 + report, 2.0, "HTTP 503")
            if worker.wants("HTTP 503", 2.0):
                worker.keep(sample("HTTP 503"))
        master.merge(json.loads(json.dumps(worker.drain())))
    assert (worker.requests, worker.seconds) == (0, {})
    assert (master.requests, master.errors, sorted(master.seconds)) == (30, 30, [0, 1, 2])
    assert len(master.samples) == 3 + FAILURE_SAMPLES  # never more than one worker's budget


def test_a_summary_fills_the_seconds_without_requests() -> None:
    recorder = LoadRecorder(t0=0.0)
    recorder.record(0.2, 10.0, None)
    recorder.note_users(0.3, 5)
    recorder.record(3.1, 40.0, None)
    data = {**recorder.to_json(), "finished": 4.0, "stopped": True, "cpu_warning": True}
    request = LoadRequest(label="x", url="http://127.0.0.1:1/", body=b"", headers=(), expect=EXPECT)
    result = summarise(data, request, LoadProfile.steady("p", users=5, duration_s=4.0))
    assert [(i.start_s, i.requests, i.users) for i in result.intervals] == [
        (0.0, 1, 5),
        (1.0, 0, 5),
        (2.0, 0, 5),
        (3.0, 1, 5),
    ]
    assert result.intervals[1].latency is None and result.throughput_rps == 0.5
    assert "CPU" in result.summary.notes[0]


def test_profiles_match_inera_and_round_trip_as_json() -> None:
    assert (INERA_6_1.duration_s, INERA_6_1.peak_users, INERA_6_1.pause_s) == (180.0, 10, (0.5, 1.0))
    assert [s.users for s in INERA_6_2.stages] == [10, 100, 100, 10]
    assert INERA_6_2.stages[1].duration_s == 300.0 and INERA_6_2.stages[1].spawn_rate == pytest.approx(0.3)
    assert DEMO_6_1.duration_s == 20.0 and set(PROFILES) == {"inera-6.1", "inera-6.2", "demo-6.1"}
    for profile in PROFILES.values():
        assert LoadProfile.from_json(json.loads(json.dumps(profile.to_json()))) == profile
    assert INERA_6_2.stage_at(29.9).name == "baseline" and INERA_6_2.stage_at(331.0).name == "peak"
    assert INERA_6_2.stage_at(420.0) is None
    short = INERA_6_2.scaled(0.01)
    assert short.duration_s == pytest.approx(4.2) and short.stages[1].spawn_rate == pytest.approx(30.0)
    assert INERA_6_1.describe() == "10 concurrent callers for 180 s"
    with pytest.raises(ValueError):
        LoadProfile.steady("bad", users=0, duration_s=1.0)


@pytest.mark.parametrize(
    ("status", "body", "kind"),
    [
        (200, GOOD, None),
        (500, FAULT, "HTTP 500 with a SOAP Fault"),
        (200, FAULT, "HTTP 200 with a SOAP Fault"),
        (503, b"busy", "HTTP 503"),
        (200, b"<html>ok</html>", f"HTTP 200 without {EXPECT}"),
        (200, GOOD.replace(b">OK<", b">ERROR<"), "resultCode ERROR"),
        (200, GOOD.replace(EXPECT.encode(), b"GetCareDocumentationResponseX"), f"HTTP 200 without {EXPECT}"),
    ],
)
def test_answers_are_judged_from_their_bytes(status: int, body: bytes, kind: str | None) -> None:
    assert answer_error(status, body, EXPECT) == kind


def test_transport_failures_are_named() -> None:
    assert exception_error(ConnectionRefusedError()) == "connection refused"
    assert exception_error(TimeoutError()) == "timeout (no answer in time)"
    assert exception_error(ConnectionResetError()) == "connection reset"
    assert exception_error(ValueError()) == "no answer (ValueError)"
