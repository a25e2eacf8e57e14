"""Shared test configuration: pytester runs throwaway scenario suites for the engine's own tests."""

pytest_plugins = ("pytester",)
