"""The ``conformance`` command: argument parsing and printing only; the work happens elsewhere.

Exit status (a fixed interface CI relies on): 0 every MUST scenario passed, 1 at least one ``fail`` or
``error``, 2 usage or configuration error (argparse itself exits 2 on bad arguments).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from harness.cli_services import ServiceError
from harness.core.findings import Verdict
from harness.core.results import EXIT_CONFIG, RunResult
from harness.core.targets import TargetError
from harness.core.waivers import WaiverError
from harness.requirements.catalogue import CatalogueError
from harness.runner import RunError, RunOptions
from harness.suites import SUITES as ACTIVE_SUITES

__all__ = ["build_parser", "main"]

Handler = Callable[[argparse.Namespace], int]
DEFAULT_OUT = Path("reports/latest")
SUITES = ("sp", "producer")
_PRODUCER_ISSUE = "it arrives with the producer suite, the reference producer and the mock NTjP"
_HELP = argparse.RawDescriptionHelpFormatter


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler: Handler = args.handler
    try:
        return handler(args)
    except (TargetError, WaiverError, CatalogueError, RunError, ServiceError) as exc:
        print(f"{args.label.format(**vars(args))}: {exc}", file=sys.stderr)
        return EXIT_CONFIG


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="conformance",
        description="Conformance harness for 1177 Vårdguiden integrations: the SAML SP jump-out (uthopp)\n"
        "and RIVTA journal producers.\n\nExit status: 0 every MUST scenario passed, 1 at least one fail or "
        "error, 2 usage or configuration error.",
        epilog="Examples:\n  conformance demo\n  conformance run sp --target my-sp.toml --out reports/my-sp",
        formatter_class=_HELP,
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add in (_add_demo, _add_run, _add_coverage, _add_idp, _add_serve, _add_ntp, _add_pki, _add_contracts):
        add(commands)
    _add_target_commands(commands)
    return parser


def _command(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    description: str,
    example: str,
    handler: Handler,
    label: str,
) -> argparse.ArgumentParser:
    command = commands.add_parser(
        name, help=_first_sentence(description), description=description, epilog=f"Example:\n  {example}"
    )
    command.formatter_class = _HELP
    command.set_defaults(handler=handler, label=label)
    return command


def _first_sentence(text: str) -> str:
    return text.replace("\n", " ").split(". ")[0].rstrip(".")


def _group(
    commands: argparse._SubParsersAction[argparse.ArgumentParser], name: str, description: str, example: str
) -> argparse._SubParsersAction[argparse.ArgumentParser]:
    group = commands.add_parser(
        name,
        help=description,
        description=description,
        epilog=f"Example:\n  {example}",
        formatter_class=_HELP,
    )
    return group.add_subparsers(dest="action", required=True, metavar="ACTION")


def _add_run_options(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT,
        metavar="DIR",
        help=f"where report.html, results.json and junit.xml go (default {DEFAULT_OUT})",
    )
    command.add_argument(
        "--waivers",
        type=Path,
        metavar="FILE",
        help="agreed deviations: TOML [[waiver]] tables with scenario, justification, expires",
    )
    command.add_argument(
        "--mask-personal-data", action="store_true", help="mask personnummer and names in the written reports"
    )
    command.add_argument(
        "--persons",
        type=Path,
        metavar="DIR",
        help="folder with Skatteverket's test personnummer lists (default: ../shared/data/...)",
    )


# -- demo and run -------------------------------------------------------------------------------------------


def _add_demo(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    command = _command(
        commands,
        "demo",
        "Run every suite against the embedded reference apps (reference SP, mock 1177 IdP, ...) on free\n"
        "loopback ports and write one combined report: report.html, results.json, junit.xml.",
        "conformance demo --out reports/latest",
        _demo,
        "demo",
    )
    _add_run_options(command)


def _demo(args: argparse.Namespace) -> int:
    from harness.runner import run_demo

    return _print_run(run_demo(_run_options(args, short_load=True)), args.out)


def _run_options(args: argparse.Namespace, *, short_load: bool = False) -> RunOptions:
    from harness.cli_defaults import run_settings

    return RunOptions(
        settings=run_settings(args.persons, load=getattr(args, "load", False), short_load=short_load),
        out_dir=args.out,
        keyword=getattr(args, "keyword", ""),
        waivers=args.waivers,
        mask_personal_data=args.mask_personal_data,
    )


_RUN_HELP = {
    "sp": (
        "Run the SP suite against your SAML Service Provider: the mock 1177 IdP logs test persons in\n"
        "through it and the scenarios judge what your SP does. The target file's [sp] section describes\n"
        "your SP, [idp] where the mock IdP listens and where its keys are (`conformance init sp` writes\n"
        "a commented template; `conformance check-target FILE` checks it before a run).",
        "conformance run sp --target targets/my-sp.toml --out reports/my-sp -k SIG",
    ),
    "producer": (
        "Run the producer suite against your RIVTA journal producer, called through the mock NTjP.\n"
        "The target file's [producer] section describes your producer, [platform] the mock platform.",
        "conformance run producer --target targets/my-producer.toml --out reports/my-producer",
    ),
}


def _add_run(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    suites = _group(
        commands,
        "run",
        "Run one suite against your own system, described by a target file (TOML).",
        _RUN_HELP["sp"][1],
    )
    for suite in SUITES:
        description, example = _RUN_HELP[suite]
        command = _command(suites, suite, description, example, _run, f"run {suite}")
        command.set_defaults(suite=suite)
        command.add_argument("--target", type=Path, required=True, metavar="FILE", help="target file (TOML)")
        command.add_argument(
            "-k",
            dest="keyword",
            default="",
            metavar="EXPR",
            help="only scenarios matching this pytest -k expression (e.g. 'SIG and not SIG-04')",
        )
        _add_run_options(command)
        if suite == "producer":
            command.add_argument(
                "--load",
                action="store_true",
                help="also run Inera's load cases 6.x on Locust (about 10 minutes): 10 concurrent callers "
                "for 3 minutes, and recovery after a ramp from 10 to 100 ([load] in the target sets them)",
            )


def _run(args: argparse.Namespace) -> int:
    from harness.runner import run_suite

    if args.suite not in ACTIVE_SUITES:
        return _not_available(f"run {args.suite}", _PRODUCER_ISSUE)(args)
    return _print_run(run_suite(args.suite, args.target, _run_options(args)), args.out)


def _print_run(run: RunResult, out_dir: Path) -> int:
    """The counts, every verdict that needs attention, the notes, and where the report is."""
    counts = ", ".join(f"{verdict} {n}" for verdict, n in run.summary().items() if n)
    print(f"{len(run.scenarios)} scenarios ({run.target.suite or 'no suite'}): {counts or 'nothing ran'}")
    for result in run.scenarios:
        if result.verdict in (Verdict.FAIL, Verdict.ERROR, Verdict.WAIVED):
            why = result.waiver_justification if result.verdict is Verdict.WAIVED else result.message
            print(f"  {result.verdict.value:<6} {result.spec.id}: {why}")
    for note in run.notes:
        print(f"note: {note}")
    print(f"report: {out_dir / 'report.html'}")
    return run.exit_status()


# -- coverage ---------------------------------------------------------------------------------------------


def _add_coverage(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    command = _command(
        commands,
        "coverage",
        "List every requirement in the catalogue (harness/requirements/<suite>.toml) with the scenarios\n"
        "that verify it, and the requirements no scenario verifies yet, with the reason. Exits 2 when a\n"
        "scenario names a requirement the catalogue does not hold.",
        "conformance coverage sp",
        _coverage,
        "coverage",
    )
    command.add_argument("suite", nargs="?", choices=SUITES, help="one suite (default: both)")


def _coverage(args: argparse.Namespace) -> int:
    from harness.core.scenario import discover_package
    from harness.requirements.catalogue import coverage, load_catalogue
    from harness.requirements.render import render_coverage

    registry = discover_package("scenarios")
    broken = False
    for suite in [args.suite] if args.suite else SUITES:
        result = coverage(registry.for_suite(suite), load_catalogue(suite))
        print(render_coverage(suite, result), end="\n\n")
        broken = broken or bool(result.unknown_references)
    return EXIT_CONFIG if broken else 0


# -- mock 1177 IdP, reference apps, NTjP, PKI, contracts --------------------------------------------------


def _add_idp(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    actions = _group(
        commands,
        "idp",
        "The mock 1177 IdP on its own: its metadata, or the IdP itself.",
        "conformance idp metadata --base-url http://127.0.0.1:8443 --out idp-metadata.xml",
    )
    _add_idp_metadata(actions)
    _add_idp_serve(actions)


def _add_idp_metadata(actions: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    metadata = _command(
        actions,
        "metadata",
        "Write the mock 1177 IdP's metadata for your SP to trust. It publishes two signing keys (current\n"
        "and next, for key rollover); the keys persist in the state directory, so later runs sign with the\n"
        "same keys.",
        "conformance idp metadata --base-url http://127.0.0.1:8443 --out idp-metadata.xml",
        _idp_metadata,
        "idp metadata",
    )
    _add_idp_location(metadata)
    metadata.add_argument("--out", type=Path, required=True, metavar="FILE", help="metadata file to write")


def _add_idp_serve(actions: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    serve = _command(
        actions,
        "serve",
        "Serve the mock 1177 IdP (metadata, SSO, user picker) until Ctrl-C.",
        "conformance idp serve --base-url http://127.0.0.1:8443 --sp-metadata my-sp-metadata.xml "
        "--person 195006262546",
        _idp_serve,
        "idp serve",
    )
    _add_idp_location(serve)
    serve.add_argument(
        "--sp-metadata",
        type=Path,
        action="append",
        default=[],
        metavar="FILE",
        help="metadata of an SP the IdP serves (repeatable)",
    )
    serve.add_argument(
        "--person",
        action="append",
        default=[],
        metavar="PNR",
        help="a Skatteverket test personnummer to offer in the picker, e.g. one of your SP's test "
        "contacts (repeatable; default: a few from the list)",
    )
    serve.add_argument(
        "--persons", type=Path, metavar="DIR", help="folder with Skatteverket's test personnummer lists"
    )


def _add_idp_location(command: argparse.ArgumentParser) -> None:
    """Where the IdP is and where its keys are: from a target's [idp] section, or given here."""
    where = command.add_mutually_exclusive_group(required=True)
    where.add_argument(
        "--target",
        type=Path,
        metavar="FILE",
        help="your SP's target file: its [idp] base_url and state_dir (relative to that file)",
    )
    where.add_argument("--base-url", metavar="URL", help="where the IdP is reachable (http://127.0.0.1:PORT)")
    _add_state_dir(command, ".state/idp")


def _idp_location(args: argparse.Namespace) -> tuple[str, Path]:
    """(base URL, key folder): the target's [idp] section wins; --state-dir is relative to the cwd."""
    if args.target is None:
        return args.base_url, args.state_dir
    from harness.runner import load_target

    idp = load_target("sp", args.target).idp
    return idp.base_url, idp.state_dir


def _add_state_dir(command: argparse.ArgumentParser, default: str) -> None:
    command.add_argument(
        "--state-dir",
        type=Path,
        default=Path(default),
        metavar="DIR",
        help=f"where keys persist between runs (default {default})",
    )


def _idp_metadata(args: argparse.Namespace) -> int:
    from harness.cli_services import write_idp_metadata

    base_url, state_dir = _idp_location(args)
    print(write_idp_metadata(base_url, args.out, state_dir))
    return 0


def _idp_serve(args: argparse.Namespace) -> int:
    from harness.cli_defaults import persons_dir
    from harness.cli_services import serve_idp

    base_url, state_dir = _idp_location(args)
    serve_idp(base_url, state_dir, tuple(args.sp_metadata), tuple(args.person), persons_dir(args.persons))
    return 0


def _add_serve(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    actions = _group(
        commands,
        "serve",
        "Run a reference app on its own, configured like a vendor's system.",
        "conformance serve reference-sp --port 8080 --idp-metadata idp-metadata.xml",
    )
    sp = _command(
        actions,
        "reference-sp",
        "Run the reference SP (the training-program app) until Ctrl-C; prints its entityID, ACS and\n"
        "metadata URLs. It trusts the IdP described by --idp-metadata.",
        "conformance serve reference-sp --port 8080 --idp-metadata idp-metadata.xml",
        _serve_reference_sp,
        "serve reference-sp",
    )
    sp.add_argument("--port", type=int, required=True, metavar="P", help="loopback port (0: any free port)")
    sp.add_argument("--idp-metadata", type=Path, required=True, metavar="FILE", help="the IdP's metadata")
    sp.add_argument(
        "--persons", type=Path, metavar="DIR", help="folder with Skatteverket's test personnummer lists"
    )
    _add_state_dir(sp, ".state/reference-sp")
    producer = _command(
        actions,
        "reference-producer",
        "Run the reference journal producer (RIVTA) until Ctrl-C; prints its\n"
        "logical addresses and contracts.",
        "conformance serve reference-producer --port 8443 --tls-dir .state/pki",
        _serve_reference_producer,
        "serve reference-producer",
    )
    producer.add_argument("--port", type=int, required=True, metavar="P", help="loopback port (0: any free)")
    producer.add_argument("--tls-dir", type=Path, metavar="DIR", help="TLS material (conformance pki init)")
    producer.add_argument("--test-hooks", action="store_true", help="expose /test-hooks (test environments)")
    producer.add_argument("--ei-url", metavar="URL", help="where to post engagement-index Updates (the VP)")
    producer.add_argument(
        "--persons", type=Path, metavar="DIR", help="Skatteverket's test personnummer lists"
    )
    _add_state_dir(producer, ".state/reference-producer")


def _serve_reference_producer(args: argparse.Namespace) -> int:
    from harness.cli_defaults import persons_dir
    from harness.reference_producer.serve import serve_reference_producer

    serve_reference_producer(args.port, args.state_dir, persons_dir(args.persons), tls_dir=args.tls_dir,
                             test_hooks=args.test_hooks, ei_url=args.ei_url)  # fmt: skip
    return 0


def _serve_reference_sp(args: argparse.Namespace) -> int:
    from harness.cli_defaults import persons_dir
    from harness.cli_services import serve_reference_sp

    serve_reference_sp(args.port, args.idp_metadata, args.state_dir, persons_dir(args.persons))
    return 0


def _add_ntp(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    actions = _group(
        commands, "ntp", "The mock Nationella tjänsteplattformen (VP, TAK, EI, AGP).", "conformance ntp serve"
    )
    from harness.cli_ntp import DESCRIPTION, EXAMPLE, add_serve_options, ntp_serve

    add_serve_options(_command(actions, "serve", DESCRIPTION, EXAMPLE, ntp_serve, "ntp serve"))


def _add_pki(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    actions = _group(
        commands,
        "pki",
        "Test keys and certificates (never for production).",
        "conformance pki init --out .state/pki",
    )
    init = _command(
        actions,
        "init",
        "Create (or keep, if present) the mock IdP's signing keys (current, next), its encryption key,\n"
        "a test CA, a loopback TLS server certificate and the mock platform's SITHS-like function\n"
        "certificates (subject serialNumber = HSA-id) in DIR, and say what each file is for.",
        "conformance pki init --out .state/pki",
        _pki_init,
        "pki init",
    )
    init.add_argument(
        "--out", type=Path, required=True, metavar="DIR", help="folder for the keys and certificates"
    )


def _pki_init(args: argparse.Namespace) -> int:
    from harness.cli_pki import write_test_pki

    print("\n".join(write_test_pki(args.out)))
    return 0


def _add_contracts(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from harness.cli_contracts import add_commands

    add_commands(commands)  # contracts, validate


def _not_available(command: str, issue: str) -> Handler:
    """A command this version does not offer: says so and exits 2."""

    def handler(args: argparse.Namespace) -> int:
        print(f"{command}: not available in this version ({issue})", file=sys.stderr)
        return EXIT_CONFIG

    return handler


# -- target files: init and check-target -------------------------------------------------------------------


def _add_target_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    init = _command(
        commands,
        "init",
        "Write a commented target file for one suite: every setting, what it is for, and which\n"
        "scenarios skip without it. Fill in your system's URLs and test contacts, then check it.",
        "conformance init sp --out targets/my-sp.toml",
        _init,
        "init",
    )
    init.add_argument("suite", choices=SUITES, help="the suite the target is for")
    init.add_argument("--out", type=Path, required=True, metavar="FILE", help="the target file to write")
    init.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    check = _command(
        commands,
        "check-target",
        "Check a target file before a run: every setting, the test personnummer, your SP's metadata, the\n"
        "IdP keys the run will sign with (a trial login with each), and the scenarios that will skip, each\n"
        "with the setting that would run it. Exit status 2 when something is wrong.",
        "conformance check-target targets/my-sp.toml --idp-metadata idp-metadata.xml",
        _check_target,
        "check-target",
    )
    check.add_argument("target", type=Path, metavar="FILE", help="the target file (TOML)")
    check.add_argument(
        "--idp-metadata",
        type=Path,
        metavar="FILE",
        help="the mock IdP's metadata you gave your SP: its keys must be the target's [idp] state_dir keys",
    )
    check.add_argument("--no-login", action="store_true", help="skip the trial logins (your SP need not run)")
    check.add_argument(
        "--persons", type=Path, metavar="DIR", help="folder with Skatteverket's test personnummer lists"
    )


def _init(args: argparse.Namespace) -> int:
    from harness.check_target import init_target

    if args.suite not in ACTIVE_SUITES:
        return _not_available(f"init {args.suite}", _PRODUCER_ISSUE)(args)
    print(init_target(args.suite, args.out, force=args.force))
    return 0


def _check_target(args: argparse.Namespace) -> int:
    from harness.check_target import check_target
    from harness.cli_defaults import run_settings

    text, status = check_target(
        args.target, run_settings(args.persons), given_metadata=args.idp_metadata, live=not args.no_login
    )
    print(text)
    return status
