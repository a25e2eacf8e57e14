"""Harness core: evidence, findings, checks, scenarios, time, XML and signatures.

Dependency rule: ``harness.core`` imports only the standard library, lxml and xmlsec;
it never imports a mock, a reference app or pytest.
"""
