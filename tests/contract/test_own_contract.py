"""Schemathesis against the mock's own ``/openapi.json``: every operation, public and control.

No 5xx, every status documented, every body and header as documented, auth enforced, 405s that list
the path's methods. Request leniency is not part of the contract: the mock accepts what pydantic
coerces (``"5"`` for 5) and ignores unknown fields as the real API does, so the two request-side
checks (negative/positive data) are off; everything the mock *answers* is checked.
"""

from __future__ import annotations

import hashlib

import pytest
import schemathesis
from schemathesis import checks

from mockserver import MockServer, Settings
from tests.contract.budget import coverage_phase, fuzz_settings, tally

LENIENT_REQUEST_CHECKS = [checks.negative_data_rejection, checks.positive_data_acceptance]
TOKEN = "contract-token"

server = MockServer()
schema = coverage_phase(schemathesis.openapi.from_asgi("/openapi.json", server.app))
guarded = MockServer(Settings(control_token=TOKEN))
guarded_schema = coverage_phase(schemathesis.openapi.from_asgi("/openapi.json", guarded.app)).include(tag="control")
# The routes only the 2026-10-02 generation serves (analytics history, account sync).
later = MockServer(Settings(api_version="2026-10-02"))
later_schema = coverage_phase(schemathesis.openapi.from_asgi("/openapi.json", later.app)).include(
    path_regex=r"/(analytics|sync)$"
)


def tenant_key(label: str) -> str:
    # One tenant per operation: a scenario or state put by one control test never reaches another test.
    return "sapi_key_contract_" + hashlib.blake2b(label.encode(), digest_size=6).hexdigest()


@schema.parametrize()
@fuzz_settings(default=8)
def test_operation_conforms_to_the_served_document(case: schemathesis.Case) -> None:
    auth = {"Authorization": f"Bearer {tenant_key(case.operation.label)}"}
    tally("own contract")
    case.call_and_validate(headers=auth, excluded_checks=LENIENT_REQUEST_CHECKS)


@later_schema.parametrize()
@fuzz_settings(default=8)
def test_later_generation_operation_conforms_to_the_served_document(case: schemathesis.Case) -> None:
    auth = {"Authorization": f"Bearer {tenant_key(case.operation.label)}"}
    tally("own contract (2026-10-02)")
    case.call_and_validate(headers=auth, excluded_checks=LENIENT_REQUEST_CHECKS)


@guarded_schema.parametrize()
@fuzz_settings(default=4)
def test_control_operation_conforms_when_a_token_is_required(case: schemathesis.Case) -> None:
    headers = {"Authorization": f"Bearer {tenant_key(case.operation.label)}", "X-Mock-Token": TOKEN}
    tally("own contract (control token)")
    case.call_and_validate(headers=headers, excluded_checks=LENIENT_REQUEST_CHECKS)


def test_document_passes_schemathesis_validation() -> None:
    schema.validate()
    guarded_schema.validate()


@pytest.mark.parametrize("doc", [schema, guarded_schema, later_schema], ids=["open", "guarded", "later"])
def test_every_operation_is_collected(doc: schemathesis.schemas.BaseSchema) -> None:
    operations = [result.ok() for result in doc.get_all_operations()]
    assert operations, "schemathesis found no operations in the document"
