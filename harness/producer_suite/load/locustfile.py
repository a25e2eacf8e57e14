"""The load cases on Locust's own command line, for more load than one machine gives (distributed mode).

The same caller, load shape and recorder as ``conformance run producer --load``, read from the same
target file. On the machine that runs the mock platform (``conformance ntp serve``) or can reach the
producer::

    locust -f harness/producer_suite/load/locustfile.py --master --headless --expect-workers 2 \\
        --conformance-target targets/my-producer.toml --conformance-profile inera-6.2 \\
        --conformance-results reports/load.json

and on each load machine (the target file and the platform's PKI folder copied there)::

    locust -f harness/producer_suite/load/locustfile.py --worker --master-host 10.0.0.5 \\
        --conformance-target targets/my-producer.toml

``python -m harness.producer_suite.load.locustfile ARGS`` is the same as ``locust -f <this file> ARGS``.
Locust's own options (``--csv``, ``--html``, the web UI) work as usual; ``--conformance-results`` writes
the harness's summary (requests, errors by kind, percentiles, the per-second series) as JSON.
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

import gevent
from locust import events
from locust.env import Environment
from locust.runners import MasterRunner, WorkerRunner

from harness.core.targets import TargetError, read_target_file
from harness.mock_ntp.certificates import platform_certificates
from harness.producer_suite.load.profile import PROFILES
from harness.producer_suite.load.recorder import LoadRecorder
from harness.producer_suite.load.result import summarise
from harness.producer_suite.load.target import (
    ChosenLoad,
    LoadRoute,
    load_contract,
    load_limits,
    target_load_request,
)
from harness.producer_suite.load.user import ContractCallerBase, ProfileShape, attach_recorder, sample_users
from harness.producer_suite.target import load_producer_target
from harness.suites import all_sections  # an entry point, like the CLI: every suite's sections

__all__ = ["ContractCaller", "TargetProfileShape", "chosen_load", "main"]

RECORDER = LoadRecorder()
_STATE: dict[str, Any] = {}  # "chosen": the ChosenLoad read from the target on "init"; "users": a greenlet
_PROFILE_NAMES = ("target-6.1", "target-6.2", "target-short", *sorted(PROFILES))


class ContractCaller(ContractCallerBase):
    """The contract call of the target's load request (configured on Locust's ``init`` event)."""


class TargetProfileShape(ProfileShape):
    """The chosen profile (``--conformance-profile``) as a load shape, on the master or standalone."""

    abstract = False

    def tick(self) -> tuple[int, float] | None:
        chosen: ChosenLoad | None = _STATE.get("chosen")
        self.profile = chosen.profile if chosen else None
        return super().tick()


def _arguments(parser: Any) -> None:
    group = parser.add_argument_group("conformance harness")
    group.add_argument("--conformance-target", default="", help="the producer's target file (TOML)")
    group.add_argument(
        "--conformance-profile",
        default="target-6.1",
        choices=_PROFILE_NAMES,
        help="target-6.1/6.2/short: Inera's cases with the target's [load] settings; inera-*: the defaults",
    )
    group.add_argument("--conformance-vp-url", default="", help="the mock VP's base URL (default: its port)")
    group.add_argument(
        "--conformance-results", default="", help="write the harness's load summary here (JSON)"
    )


def _configure(environment: Environment, **_: Any) -> None:
    options = environment.parsed_options
    if options is None or not options.conformance_target:
        raise SystemExit("--conformance-target FILE is required (the producer's target file)")
    chosen = chosen_load(
        Path(options.conformance_target), options.conformance_profile, options.conformance_vp_url
    )
    _STATE["chosen"] = chosen
    ContractCaller.configure(chosen.request, RECORDER, chosen.profile.pause_s)
    attach_recorder(environment, RECORDER)
    if isinstance(environment.runner, WorkerRunner):
        environment.events.report_to_master.add_listener(_report_to_master)
    elif isinstance(environment.runner, MasterRunner):
        environment.events.worker_report.add_listener(_merge_worker_report)


def _started(environment: Environment, **_: Any) -> None:
    RECORDER.t0 = time.time()
    if environment.runner is not None and not isinstance(environment.runner, WorkerRunner):
        _STATE["users"] = gevent.spawn(sample_users, environment.runner, RECORDER)


def _stopped(environment: Environment, **_: Any) -> None:
    if "users" in _STATE:
        _STATE.pop("users").kill()


def _quitting(environment: Environment, **_: Any) -> None:
    """Write the summary last: by then the master has merged every worker's final report."""
    options = environment.parsed_options
    if isinstance(environment.runner, WorkerRunner) or options is None or not options.conformance_results:
        return
    chosen: ChosenLoad = _STATE["chosen"]
    data = {**RECORDER.to_json(), "finished": time.time(), "stopped": True, "cpu_warning": False}
    result = summarise(data, chosen.request, chosen.profile, limits=chosen.limits)
    document = {"summary": asdict(result.summary), "over_limit": [list(o) for o in result.over_limit]}
    Path(options.conformance_results).write_text(json.dumps(document, indent=2), encoding="utf-8")


def chosen_load(path: Path, profile_name: str, vp_url: str = "") -> ChosenLoad:
    """What the locustfile runs: the target file's load request, the named profile and its limits.

    ``profile_name``: ``target-6.1``, ``target-6.2``, ``target-short`` (Inera's cases with the target's
    ``[load]`` settings) or a name in :data:`PROFILES` (Inera's defaults). The platform's certificates
    come from its PKI folder (``[platform] pki_dir``): copy it to every worker machine.
    """
    target = load_producer_target(read_target_file(path, all_sections()))
    settings = target.load
    contract = load_contract(target.producer, settings)
    certificates = platform_certificates(target.platform)
    route = LoadRoute(
        vp_url=vp_url or f"https://127.0.0.1:{target.platform.vp_port}",
        ca=certificates.ca,
        consumer=certificates.consumer,
        vp=certificates.vp,
        consumer_hsa_id=target.platform.identities.consumer,
    )
    own = {
        "target-6.1": settings.inera_6_1,
        "target-6.2": settings.inera_6_2,
        "target-short": settings.short_6_1,
    }
    if profile_name in own:
        profile = own[profile_name]()
    elif profile_name in PROFILES:
        profile = PROFILES[profile_name]
    else:
        raise TargetError(f"unknown load profile {profile_name!r}; profiles: {', '.join([*own, *PROFILES])}")
    limit = target.producer.response_limit_s(contract)
    request = target_load_request(target.producer, contract, route, settings)
    return ChosenLoad(request, profile, load_limits(limit, contract))


def _report_to_master(client_id: str, data: dict[str, Any]) -> None:
    data["conformance_load"] = RECORDER.drain()


def _merge_worker_report(client_id: str, data: dict[str, Any]) -> None:
    if "conformance_load" in data:
        RECORDER.merge(data["conformance_load"])


def _register() -> None:
    """Locust's events are global: register once, in the copy Locust loads as the locustfile."""
    events.init_command_line_parser.add_listener(_arguments)
    events.init.add_listener(_configure)
    events.test_start.add_listener(_started)
    events.test_stop.add_listener(_stopped)
    events.quitting.add_listener(_quitting)


def main(argv: list[str] | None = None) -> int:
    """``python -m harness.producer_suite.load.locustfile ARGS`` = ``locust -f <this file> ARGS``."""
    from locust.main import main as locust_main

    sys.argv = ["locust", "-f", __file__, *(sys.argv[1:] if argv is None else argv)]
    locust_main()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
else:
    _register()
