"""The load engine: a load profile run with Locust, headless, in a process of its own.

Why a process of its own. Locust runs its simulated users as gevent greenlets and, on import,
calls gevent's ``monkey.patch_all()``, which replaces ``socket``, ``ssl``, ``threading``, ``time.sleep``
and ``select`` for the whole process. The harness's own process runs the mock platform and the
reference apps on asyncio loops in threads (harness.server) and pytest in-process: patched threads
and sockets would break them. Locust's ``LOCUST_SKIP_MONKEY_PATCH`` only leaves the patch out: the
users then share one gevent hub, and any I/O not written for gevent blocks every user at once. The
standard ``ssl`` module is such I/O: over HTTPS, ten "concurrent" callers then call one after another
(benchmarks/load_engine.py: 18 calls/s against a producer answering in 50 ms, where this engine
makes about 170), and the verdict "ten concurrent callers served" would be false. The variable is
also read once, when ``locust`` is first imported, by whatever imports it first. A separate process
runs Locust exactly as the ``locust`` command does (patched first, before any other import), with
its own interpreter lock, can be stopped without touching the harness, and is the code path of
Locust's distributed mode (locustfile.py). The cost: about two seconds to start, and the results
come back as JSON.

Usage::

    request = contract_load_request(contract, params, url=..., logical_address=..., label=...)
    result = run_load(request, INERA_6_1, limits=(ReferenceLine("limit", 30_000.0),))
    result.errors, result.latency.p95_ms, result.answers_over(30_000.0), result.summary
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

import harness
from harness.core.measurements import ReferenceLine
from harness.producer_suite.load.profile import LoadProfile
from harness.producer_suite.load.request import LoadRequest
from harness.producer_suite.load.result import LoadResult, summarise

__all__ = ["LoadRunError", "run_load"]

START_GRACE_S = 60.0  # process start and Locust's import, plus the child's own stop grace (30 s)
_STDERR_TAIL = 2_000

# gevent patches first, then Locust (which would patch anyway, unless LOCUST_SKIP_MONKEY_PATCH is
# set in the environment: the explicit patch keeps the callers concurrent even then).
_BOOTSTRAP = (
    "import sys\n"
    "from gevent import monkey\n"
    "monkey.patch_all()\n"
    "sys.path.insert(0, sys.argv[1])\n"
    "import locust  # noqa: F401\n"
    "from harness.producer_suite.load.child import main\n"
    "sys.exit(main(sys.argv[2:]))\n"
)


class LoadRunError(RuntimeError):
    """The load process failed or hung: the harness could not measure (a harness error, not a verdict)."""


def run_load(
    request: LoadRequest,
    profile: LoadProfile,
    *,
    limits: Sequence[ReferenceLine] = (),
    python: str = sys.executable,
) -> LoadResult:
    """Run ``profile`` against ``request`` and wait for it; ``limits`` are counted and plotted.

    Blocks for the profile's duration. Raises :class:`LoadRunError` when the load process fails
    or does not end within the profile's duration plus generous grace.
    """
    _check_files(request)
    root = str(Path(harness.__file__).resolve().parents[1])
    spec = {
        "request": request.to_json(),
        "profile": profile.to_json(),
        "thresholds_ms": [line.value_ms for line in limits],
    }
    with tempfile.TemporaryDirectory(prefix="conformance-load-") as folder:
        spec_path, result_path = Path(folder) / "spec.json", Path(folder) / "result.json"
        spec_path.write_text(json.dumps(spec), encoding="utf-8")
        log_path = Path(folder) / "load.log"
        deadline = profile.duration_s + request.timeout_s + START_GRACE_S
        _run_child([python, "-c", _BOOTSTRAP, root, str(spec_path), str(result_path)], log_path, deadline)
        if not result_path.is_file():
            raise LoadRunError(f"the load process wrote no result: {_tail(log_path)}")
        data = json.loads(result_path.read_text(encoding="utf-8"))
    return summarise(data, request, profile, limits=limits)


def _check_files(request: LoadRequest) -> None:
    for what, path in (("client certificate", request.client_cert), ("client key", request.client_key)):
        if path is not None and not path.is_file():
            raise LoadRunError(f"the load's {what} {path} does not exist")
    if request.ca_file is not None and not request.ca_file.is_file():
        raise LoadRunError(f"the load's CA file {request.ca_file} does not exist")


def _run_child(command: list[str], log_path: Path, deadline_s: float) -> None:
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
        try:
            code = process.wait(timeout=deadline_s)
        except subprocess.TimeoutExpired:
            process.kill()  # the process this call started, by its handle
            process.wait()
            raise LoadRunError(f"the load process did not finish within {deadline_s:.0f} s") from None
        except BaseException:
            process.kill()
            process.wait()
            raise
    if code != 0:
        raise LoadRunError(f"the load process failed (exit status {code}): {_tail(log_path)}")


def _tail(log_path: Path) -> str:
    text = log_path.read_text(encoding="utf-8", errors="replace").strip() if log_path.is_file() else ""
    return text[-_STDERR_TAIL:] or "no output"
