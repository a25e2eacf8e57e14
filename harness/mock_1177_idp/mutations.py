"""The catalogue of named mutations: one per negative (or positive) case an SP is tested with.

Every mutation changes one thing for one rule, at one stage of the pipeline (see
``pipeline.Stage``); ``tests/mock_1177_idp/test_mutations.py`` proves for each that it does what
its description says and nothing else. Names are stable IDs used by scenarios and reports.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType

from harness.mock_1177_idp import (
    mut_content,
    mut_encoding,
    mut_personnummer,
    mut_signature,
    mut_time,
    mut_wrapping,
)
from harness.mock_1177_idp.pipeline import Expect, Mutation, MutationNotApplicable, Stage

__all__ = ["MUTATIONS", "Expect", "Mutation", "MutationNotApplicable", "Stage", "UnknownMutation", "resolve"]


class UnknownMutation(KeyError):
    """A mutation name that is not in the catalogue."""


def _catalogue(groups: Iterable[tuple[Mutation, ...]]) -> Mapping[str, Mutation]:
    entries: dict[str, Mutation] = {}
    for group in groups:
        for entry in group:
            if entry.name in entries:
                raise ValueError(f"mutation {entry.name!r} is defined twice")
            entries[entry.name] = entry
    return MappingProxyType(entries)


MUTATIONS: Mapping[str, Mutation] = _catalogue(
    (
        mut_signature.CATALOGUE,
        mut_wrapping.CATALOGUE,
        mut_content.CATALOGUE,
        mut_time.CATALOGUE,
        mut_personnummer.CATALOGUE,
        mut_encoding.CATALOGUE,
    )
)


def resolve(names: Iterable[str]) -> tuple[Mutation, ...]:
    """The catalogue entries for ``names``, in order; unknown or repeated names are refused."""
    chosen: list[Mutation] = []
    for name in names:
        if name not in MUTATIONS:
            raise UnknownMutation(f"unknown mutation {name!r}; see harness.mock_1177_idp.mutations")
        if MUTATIONS[name] in chosen:
            raise ValueError(f"mutation {name!r} given twice")
        chosen.append(MUTATIONS[name])
    return tuple(chosen)
