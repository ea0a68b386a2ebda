"""The relay's request bodies (backend/relay/schemas.py) without a chain: what they accept, how they normalise it, and
the one-line reason for what they refuse. The relay suite sends the same through HTTP (test_relay.py); these are what
mutation testing runs (docs/testing.md)."""
from typing import Annotated

import pytest
from pydantic import TypeAdapter, ValidationError

from backend.relay.schemas import HEX, UINT48_MAX, DirectCallIn, ForwardRequestIn, VoucherIn, _documented, _hex, uint

MEMBER = "0x90F79bf6EB2c4f870365E785982E1f101E93b906"
TARGET = "0x602C71e4DAC47a042Ee7f46E0aee17F94A3bA0B6"
SIGNATURE = "0x" + "Ab" * 65
REQUEST = {"from": MEMBER.lower(), "to": TARGET, "value": "0", "gas": 100_000, "nonce": "7", "deadline": UINT48_MAX,
           "data": "0xB3F05B97", "signature": SIGNATURE}


def refusal(model, body) -> tuple[tuple, str]:
    with pytest.raises(ValidationError) as refused:
        model.model_validate(body)
    error = refused.value.errors()[0]
    return error["loc"], error["msg"]


def test_a_forward_request_is_normalised():
    request = ForwardRequestIn.model_validate(REQUEST).as_request()
    assert request == {"from": MEMBER, "to": TARGET, "value": 0, "gas": 100_000, "nonce": 7, "deadline": UINT48_MAX,
                       "data": "0xb3f05b97", "signature": SIGNATURE.lower()}


NOT_ADDRESS = "Value error, not an address (0x and 40 hex digits, valid checksum if mixed case)"
NOT_NUMBER = "Value error, not a whole number (a JSON integer, or a string of decimal digits)"


@pytest.mark.parametrize("field, value, message", [
    ("from", "0x90f79bf6EB2c4f870365E785982E1f101E93b906", NOT_ADDRESS),  # mixed case, checksum wrong
    ("to", "0x" + "12" * 19, NOT_ADDRESS),
    ("to", 12, "Input should be a valid string"),
    ("data", "0xabc", "Value error, not 0x-prefixed hex bytes"),
    ("data", "abcd", "Value error, not 0x-prefixed hex bytes"),
    ("signature", "0x" + "ab" * 64, "Value error, a signature is 65 bytes (0x and 130 hex digits)"),
    ("signature", "0x" + "ab" * 65 + "00", "Value error, a signature is 65 bytes (0x and 130 hex digits)"),
    ("gas", True, NOT_NUMBER),
    ("gas", "+5", NOT_NUMBER),
    ("gas", " 5", NOT_NUMBER),
    ("gas", "1_0", NOT_NUMBER),
    ("gas", "1" * 79, NOT_NUMBER),  # more digits than uint256 has
    ("gas", -1, "Input should be greater than or equal to 0"),
    ("deadline", UINT48_MAX + 1, f"Input should be less than or equal to {UINT48_MAX}"),
])
def test_a_bad_field_is_refused_naming_why(field, value, message):
    assert refusal(ForwardRequestIn, {**REQUEST, field: value}) == ((field,), message)


def test_the_largest_numbers_pass_as_strings():
    request = ForwardRequestIn.model_validate({**REQUEST, "gas": str(2**256 - 1), "deadline": str(UINT48_MAX)})
    assert (request.gas, request.deadline) == (2**256 - 1, UINT48_MAX)


def test_unknown_keys_are_refused_in_requests_and_ignored_in_vouchers():
    assert refusal(DirectCallIn, {"to": TARGET, "data": "0x", "value": 1}) == (("value",), "Extra inputs are not permitted")
    voucher = VoucherIn.model_validate({"member": MEMBER, "stampId": "6", "nonce": 1, "deadline": 2,
                                        "signature": SIGNATURE, "link": "https://example.org"})
    assert (voucher.member, voucher.stampId, voucher.signature) == (MEMBER, 6, SIGNATURE.lower())


def test_a_uint_type_takes_integers_and_decimal_strings_up_to_its_maximum_and_states_both():
    """`uint` builds its type when called; here it is called by the test (the schemas build theirs at import), so a
    change to the builder shows."""
    byte = TypeAdapter(uint(255, "one byte"))
    assert [byte.validate_python(value) for value in (0, 255, "0", "255", "007")] == [0, 255, 0, 255, 7]
    for value, message in [(256, "Input should be less than or equal to 255"), ("256", "Input should be less than or equal to 255"),
                           ("1000", NOT_NUMBER), ("-1", NOT_NUMBER), ("", NOT_NUMBER), (True, NOT_NUMBER), (False, NOT_NUMBER),
                           ("0x1", NOT_NUMBER), ("1.0", NOT_NUMBER), (-1, "Input should be greater than or equal to 0")]:
        with pytest.raises(ValidationError) as refused:
            byte.validate_python(value)
        assert refused.value.errors()[0]["msg"] == message, value
    assert byte.json_schema() == {"anyOf": [
        {"type": "integer", "minimum": 0, "maximum": 255},
        {"type": "string", "pattern": "^[0-9]{1,3}$", "description": "decimal, at most 255"},
    ], "description": "one byte"}


def test_a_documented_string_is_checked_by_its_validator_and_states_its_pattern():
    data = TypeAdapter(Annotated[str, *_documented(_hex, HEX, "bytes")])
    assert data.validate_python("0xAB") == "0xab"
    with pytest.raises(ValidationError) as refused:
        data.validate_python("0xA")
    assert refused.value.errors()[0]["msg"] == "Value error, not 0x-prefixed hex bytes"
    assert data.json_schema() == {"type": "string", "pattern": HEX, "description": "bytes"}
