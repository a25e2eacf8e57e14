"""The reference SP: a conformant 1177 jump-out Service Provider (a training-program app).

Modelled on ExorLive Go: a care giver saves a training program on a contact whose personnummer is
filled in; the citizen jumps out from 1177 and sees their programs; nothing goes back to 1177.
It is the demo target, the positive control of the SP suite, and an example for vendors.

Seams (dependency injection, ``ReferenceSpConfig``): ``validators`` (``DEFAULT_VALIDATORS``, run in
order by the ACS), ``matcher`` (``match_exact``) and ``after_login`` (none). Flawed variants for
the harness's own tests are in ``tests/support/flaws.py``.
"""

from harness.reference_sp.app import ReferenceSp, create_app
from harness.reference_sp.config import DEFAULT_ACCEPTED_LOA, LoginEvent, ReferenceSpConfig
from harness.reference_sp.data import ContactRow, seed_contacts
from harness.reference_sp.identity import Identity
from harness.reference_sp.launch import reference_sp_ca_bundle, start_reference_sp
from harness.reference_sp.matching import match_exact
from harness.reference_sp.rejection import Rejected
from harness.reference_sp.validators import DEFAULT_VALIDATORS

__all__ = [
    "DEFAULT_ACCEPTED_LOA",
    "DEFAULT_VALIDATORS",
    "ContactRow",
    "Identity",
    "LoginEvent",
    "ReferenceSp",
    "ReferenceSpConfig",
    "Rejected",
    "create_app",
    "match_exact",
    "reference_sp_ca_bundle",
    "seed_contacts",
    "start_reference_sp",
]
