"""The mock Nationella tjänsteplattformen (NTjP): what 1177 journal reads a producer through.

- **VP** (:class:`VirtualisationPlatform`): mutual TLS, consumer = certificate serialNumber, RIVTA
  BP 2.1/2.0 addressing, TAK routing and authorisation, forwarding with the platform's certificate,
  VP001-VP015 faults worded as the SKLTP VP words them.
- **TAK** (:class:`Tak`): routes and authorisations from TOML or SKLTP's TAK XML.
- **Engagement index** (:class:`EngagementIndex`): Update (SKLTP EI's EI000-EI006 rules) and
  FindContent over SQLite, every Update kept as evidence with the way it came (VP or direct).
- **Aggregating services** (:class:`AggregatingServices`): FindContent, TAK filter, one call per
  source system through the VP, merged answer with ProcessingStatus.
- **Consumer** (:class:`JournalConsumer`): a 1177-journal-like caller, every exchange recorded.

Start it all in-process with :func:`start_platform` (or :func:`running_platform`); ``conformance
ntp serve`` does the same on fixed ports. This package imports no reference app and no scenario.
"""

from harness.mock_ntp.agp import AggregatingServices, AgpCall, AgpSettings
from harness.mock_ntp.certificates import PlatformCertificates, platform_certificates
from harness.mock_ntp.config import PlatformConfigError, PlatformSettings
from harness.mock_ntp.consumer import ConsumerAnswer, JournalConsumer
from harness.mock_ntp.ei import EiUpdate, EngagementIndex
from harness.mock_ntp.ei_store import EngagementStore, StoredUpdate
from harness.mock_ntp.ei_validation import EiError, EiRules
from harness.mock_ntp.evidence import BoundedRecorder
from harness.mock_ntp.faults import VpCode, VpFault
from harness.mock_ntp.identities import DEFAULT_IDENTITIES, PlatformIdentities
from harness.mock_ntp.platform import (
    DEFAULT_LIMITS,
    RunningPlatform,
    running_platform,
    start_platform,
)
from harness.mock_ntp.tak import ANY_ADDRESS, ANY_CONSUMER, Authorisation, Route, Tak, Timeouts
from harness.mock_ntp.tak_files import TakFileError, load_tak, parse_tak_toml
from harness.mock_ntp.vp import VirtualisationPlatform, VpCall, VpSettings

__all__ = [
    "ANY_ADDRESS",
    "ANY_CONSUMER",
    "DEFAULT_IDENTITIES",
    "DEFAULT_LIMITS",
    "AggregatingServices",
    "AgpCall",
    "AgpSettings",
    "Authorisation",
    "BoundedRecorder",
    "ConsumerAnswer",
    "EiError",
    "EiRules",
    "EiUpdate",
    "EngagementIndex",
    "EngagementStore",
    "JournalConsumer",
    "PlatformCertificates",
    "PlatformConfigError",
    "PlatformIdentities",
    "PlatformSettings",
    "Route",
    "RunningPlatform",
    "StoredUpdate",
    "Tak",
    "TakFileError",
    "Timeouts",
    "VirtualisationPlatform",
    "VpCall",
    "VpCode",
    "VpFault",
    "VpSettings",
    "load_tak",
    "parse_tak_toml",
    "platform_certificates",
    "running_platform",
    "start_platform",
]
