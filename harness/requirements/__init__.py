"""The requirements catalogue: the rules the scenarios verify, in our words, with their sources.

One TOML file per suite (``sp.toml``, ``producer.toml``) in this folder; see :mod:`.catalogue`.
"""

from harness.requirements.catalogue import (
    CatalogueError,
    Coverage,
    CoverageEntry,
    Requirement,
    coverage,
    load_catalogue,
)

__all__ = ["CatalogueError", "Coverage", "CoverageEntry", "Requirement", "coverage", "load_catalogue"]
