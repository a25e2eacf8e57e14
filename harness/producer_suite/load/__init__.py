"""Inera's load cases (6.x) on Locust: profiles, the caller, the run in a process of its own, results.

Locust and gevent are imported only in the child process (``child.py``) and under the ``locust``
command (``locustfile.py``), never in the harness's own process.
"""
