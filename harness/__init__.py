"""The 1177 conformance harness: mock 1177 IdP and NTjP, scenarios, reference apps, reports."""

from importlib.metadata import PackageNotFoundError, version

__all__ = ["__version__"]

try:
    __version__ = version("harness")
except PackageNotFoundError:  # running from a checkout that was never installed
    __version__ = "0.0.0+checkout"
