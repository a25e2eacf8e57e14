"""The requirements catalogue: the rules the scenarios verify, in our words, with their sources.

One TOML file per suite (``sp.toml``, ``producer.toml``) in this folder; see :mod:`.catalogue`.
"""

from harness.requirements.catalogue import (
    Catalogue,
    CatalogueError,
    Coverage,
    CoverageEntry,
    Requirement,
    coverage,
    load_catalogue,
    suite_catalogue,
)
from harness.requirements.declare import catalogue_scenario

__all__ = [
    "Catalogue",
    "CatalogueError",
    "Coverage",
    "CoverageEntry",
    "Requirement",
    "catalogue_scenario",
    "coverage",
    "load_catalogue",
    "suite_catalogue",
]
