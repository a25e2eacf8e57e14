"""The RIVTA fixtures: schema bundle, session Validator, a Skatteverket test personnummer."""

from rivta_fixtures import pnr, schema_dir, validator

__all__ = ["pnr", "schema_dir", "validator"]
