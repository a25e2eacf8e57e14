"""The RIVTA contract catalogue: per contract version its namespaces, soapAction, TAK name, EI keys, request
and response shapes and contract-specific rules, with a request builder and a response reader.

Written by us from the official WSDLs, XSDs and TKBs; the official files themselves are loaded from a
schema directory by :mod:`harness.validation`, never copied in.
"""

from harness.contracts.catalogue import (
    CATALOGUE,
    PLATFORM_CONTRACTS,
    ContractNotFound,
    find_contract,
    journal_contract_keys,
    parse_contract_key,
)
from harness.contracts.dates import in_date_period
from harness.contracts.model import (
    HSA_OID,
    PERSONNUMMER_OID,
    SAMORDNINGSNUMMER_OID,
    ContractKind,
    ContractVersion,
    DateFilter,
    FilterMode,
    ForbiddenField,
    HeaderModel,
    IdShape,
    InvalidRequestRule,
    InvalidRequestTrigger,
    MessageRole,
    RecordPaths,
    RequestField,
    RequestRole,
    ResultShape,
    SchemaFiles,
)
from harness.contracts.platform import EI_CORE_NS, PROCESSING_STATUS_NS, PROCESSING_STATUS_XSD
from harness.contracts.requests import (
    DatePeriod,
    InstanceId,
    RequestError,
    RequestParams,
    build_request,
    read_request,
)
from harness.contracts.responses import (
    ContractRecord,
    ContractResponse,
    HasMore,
    ResponseError,
    ResultInfo,
    forbidden_fields_present,
    read_response,
    select,
)
from harness.contracts.sla import AGP_WAIT_S, RESPONSE_TIME_LIMITS_S, response_time_limit_s

__all__ = [
    "AGP_WAIT_S",
    "CATALOGUE",
    "EI_CORE_NS",
    "HSA_OID",
    "PERSONNUMMER_OID",
    "PLATFORM_CONTRACTS",
    "PROCESSING_STATUS_NS",
    "PROCESSING_STATUS_XSD",
    "RESPONSE_TIME_LIMITS_S",
    "SAMORDNINGSNUMMER_OID",
    "ContractKind",
    "ContractNotFound",
    "ContractRecord",
    "ContractResponse",
    "ContractVersion",
    "DateFilter",
    "DatePeriod",
    "FilterMode",
    "ForbiddenField",
    "HasMore",
    "HeaderModel",
    "IdShape",
    "InstanceId",
    "InvalidRequestRule",
    "InvalidRequestTrigger",
    "MessageRole",
    "RecordPaths",
    "RequestError",
    "RequestField",
    "RequestParams",
    "RequestRole",
    "ResponseError",
    "ResultInfo",
    "ResultShape",
    "SchemaFiles",
    "build_request",
    "find_contract",
    "forbidden_fields_present",
    "in_date_period",
    "journal_contract_keys",
    "parse_contract_key",
    "read_request",
    "read_response",
    "response_time_limit_s",
    "select",
]
