"""``conformance contracts`` and ``conformance validate``: the contract catalogue, and offline validation of a
saved message against the official RIVTA schemas (the schema directory resolved by :mod:`.defaults`).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from pathlib import Path

from harness.cli.common import Commands, add_command, add_schemas
from harness.cli.defaults import schemas_dir
from harness.contracts.catalogue import CATALOGUE, PLATFORM_CONTRACTS, ContractNotFound, parse_contract_key
from harness.contracts.model import ContractVersion, MessageRole
from harness.core.results import EXIT_CONFIG

__all__ = ["add_commands", "contract_lines", "served_contracts"]


def served_contracts() -> frozenset[tuple[str, str]]:
    """The ``(name, version)`` pairs the reference producer declares it serves."""
    from harness.reference_producer.contracts import SERVED_CONTRACTS

    return frozenset((c.name, c.version) for c in SERVED_CONTRACTS)


def contract_lines(served: Iterable[tuple[str, str]]) -> list[str]:
    """One line per contract version: name, version, responder namespace, and who serves it."""
    served_set = frozenset(served)
    rows = [
        (c, f"reference producer: {'yes' if (c.name, c.version) in served_set else 'no'}") for c in CATALOGUE
    ]
    rows += [(c, "platform contract (engagement index)") for c in PLATFORM_CONTRACTS]
    width = max(len(c.name) for c, _ in rows)
    ns_width = max(len(c.namespace) for c, _ in rows)
    return [f"{c.name:<{width}}  {c.version:<4} {c.namespace:<{ns_width}}  {who}" for c, who in rows]


def add_commands(commands: Commands) -> None:
    """``contracts`` and ``validate``."""
    add_command(
        commands,
        "contracts",
        "One line per RIVTA contract version the harness supports (name, major.minor, responder\n"
        "namespace), with whether the reference producer serves it; then the platform's own contracts.",
        "conformance contracts",
        _contracts,
        "contracts",
    )
    validate = add_command(
        commands,
        "validate",
        "Check a saved message (a SOAP envelope or the bare response element) offline against the official\n"
        "XSD and, where one exists, Inera's schematron for that contract version, and print each issue.\n"
        "A request element (e.g. an engagement index Update) is checked as a request.\n\n"
        "Exit status: 0 valid, 1 invalid, 2 usage error (unknown contract, unreadable file, no schemas).",
        "conformance validate answer.xml --contract GetDiagnosis:2.0",
        _validate,
        "validate",
    )
    validate.add_argument("file", type=Path, metavar="FILE", help="the saved message (XML)")
    validate.add_argument("--contract", required=True, metavar="NAME:VERSION", help="e.g. GetDiagnosis:2.0")
    add_schemas(validate)


def _contracts(args: argparse.Namespace) -> int:
    for line in contract_lines(served_contracts()):
        print(line)
    return 0


def _validate(args: argparse.Namespace) -> int:
    from harness.validation import MessageError, SchemaBundleError, Validator, load_message

    try:
        contract = parse_contract_key(args.contract)
        data = args.file.read_bytes()
    except (ContractNotFound, OSError) as exc:
        return _usage(str(exc))
    schemas = schemas_dir(args.schemas)
    if not schemas.is_dir():
        return _usage(f"no schema bundle at {schemas}: pass --schemas DIR or set RIVTA_SCHEMAS")
    try:
        role = _role(contract, load_message(data).element.tag)
    except MessageError:
        role = MessageRole.RESPONSE  # the validator reports why it is not a message
    try:
        result = Validator(schemas).validate(contract, data, role=role)
    except SchemaBundleError as exc:
        return _usage(str(exc))
    for issue in result.issues:
        print(issue)
    ran = ", ".join(_short(item) for item in result.checked) or "nothing"
    print(f"{args.file}: {contract.name} {contract.version} {role.value}: {result.status.value} ({ran})")
    return 0 if result.valid else 1


def _short(checked: str) -> str:
    """``xsd a/b/c/GetDiagnosisResponder_2.0.xsd`` as ``xsd GetDiagnosisResponder_2.0.xsd`` (file and folder
    for constraints.xml, whose name is the same in every test suite)."""
    kind, _, path = checked.partition(" ")
    parts = path.split("/")
    return f"{kind} {'/'.join(parts[-2:] if parts[-1] == 'constraints.xml' else parts[-1:])}"


def _role(contract: ContractVersion, tag: object) -> MessageRole:
    return MessageRole.REQUEST if tag == contract.request_tag else MessageRole.RESPONSE


def _usage(message: str) -> int:
    print(f"validate: {message}", file=sys.stderr)
    return EXIT_CONFIG
