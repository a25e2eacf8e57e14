"""Where the loaded-never-copied data is, resolved once for a command: the only module of the harness that
reads environment variables.

An explicit option wins (``--persons``, ``--schemas``); then the environment variable
(``$TESTPERSONNUMMER_DIR``, ``$RIVTA_SCHEMAS``); then the folder beside this checkout (``../shared/...``),
as the README's two commands expect. Library code receives the result as a path.
"""

from __future__ import annotations

import os
from pathlib import Path

import harness
from harness.core.settings import RunSettings

__all__ = ["persons_dir", "run_settings", "schemas_dir"]

_PERSONS_ENV, _SCHEMAS_ENV = "TESTPERSONNUMMER_DIR", "RIVTA_SCHEMAS"
_SHARED = Path(harness.__file__).resolve().parents[2] / "shared"  # beside the checkout


def persons_dir(given: Path | None) -> Path:
    """Skatteverket's test personnummer: ``--persons``, ``$TESTPERSONNUMMER_DIR``, ``../shared/data/...``."""
    return _resolve(given, _PERSONS_ENV, _SHARED / "data" / "testpersonnummer")


def schemas_dir(given: Path | None) -> Path:
    """The official RIVTA schema bundles: ``--schemas``, ``$RIVTA_SCHEMAS``, ``../shared/rivta``."""
    return _resolve(given, _SCHEMAS_ENV, _SHARED / "rivta")


def run_settings(
    persons: Path | None, schemas: Path | None = None, *, load: bool = False, short_load: bool = False
) -> RunSettings:
    """The settings of a run; without a schema directory the schema checks skip."""
    chosen_schemas = schemas_dir(schemas)
    return RunSettings(
        persons_dir=persons_dir(persons),
        schemas_dir=chosen_schemas if chosen_schemas.is_dir() else None,
        load=load,
        short_load=short_load,
    )


def _resolve(given: Path | None, variable: str, beside_checkout: Path) -> Path:
    if given is not None:
        return given.expanduser().resolve()
    configured = os.environ.get(variable)
    return Path(configured).expanduser().resolve() if configured else beside_checkout
