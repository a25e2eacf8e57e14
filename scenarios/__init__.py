"""Conformance scenarios, collected by pytest through harness.pytest_plugin."""
