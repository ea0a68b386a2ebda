"""The gasless relay on a real Ganache: valid requests land; everything refused costs the relayer nothing."""
import json
import socket
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from eth_account import Account
from web3 import Web3

from backend.chain.forwarding import sign_forward_request
from backend.chain.protocol import IDEA_MAX_TEXT_BYTES
from backend.relay.allowlist import STRING_BYTES
from backend.relay.service import relayer_account
from backend.settings import Settings
from tests.relay.conftest import (
    STAMPS, assert_waits_for_the_window_to_end, fresh_member, join_request, relay_client, relay_settings, wait_status,
)
from tests.support.web import RELAYER, costs_relayer_nothing, forward_request, send, voucher_for

_stamp_ids = iter(STAMPS)


# ---------------------------------------------------------------- what lands


def test_info_names_the_relayer_and_the_allowlist(client, c):
    info = client.get("/relay").json()
    assert info["chainId"] == 1337 and info["relayer"] == RELAYER.address
    # Exactly what the relayer pays for, written out here rather than read from backend/relay/allowlist.py: one
    # function more (or a mode changed) is a change of what the relayer's ether pays for, and fails this.
    assert sorted((e["contract"], e["function"], e["mode"]) for e in info["allowlist"]) == sorted([
        ("OdysseyStamps", "join()", "forward"),
        ("OdysseyStamps", "delegate(address)", "forward"),
        ("OdysseyBenefits", "redeem(uint256)", "forward"),
        ("IdeaBoard", "submit(string,string,bytes32)", "forward"),
        ("IdeaBoard", "support(uint256)", "forward"),
        ("IdeaBoard", "withdrawSupport(uint256)", "forward"),
        ("OdysseyDrops", "enter(uint256)", "forward"),
        ("OdysseyDrops", "draw(uint256)", "forward"),
        ("OdysseyDrops", "moveSeedBlock(uint256)", "forward"),
        ("OdysseyStamps", "claim(address,uint256,uint256,uint256,bytes)", "direct"),
        ("OdysseyDrops", "claim(uint256,address)", "direct"),
        ("OdysseyDrops", "refund(uint256,address)", "direct"),
        ("OdysseyGovernor", "castVoteBySig(uint256,uint8,address,bytes)", "direct"),
        ("OdysseyGovernor", "castVoteWithReasonAndParamsBySig(uint256,uint8,address,string,bytes,bytes)", "direct"),
    ])
    assert info["forwarder"]["domain"]["name"] == "OdysseyForwarder"


def test_info_states_each_functions_address_selector_and_bounds_and_the_limits(chain, deployments_file, c, tmp_path):
    """What a client needs to build and budget a request, as this relay's settings make it: each value differs
    from its default, so a limit reported from the wrong setting fails."""
    limits = {"windowSeconds": 61.0, "perAddress": 11, "perIp": 12, "statusPerIp": 13, "gasPerMember": 2_000_001,
              "gasWindowSeconds": 86_401.0, "deadlineMarginSeconds": 62, "maxRequestGas": 200_000, "maxDataBytes": 4097,
              "maxBodyBytes": 40_000}
    settings = relay_settings(
        chain, deployments_file, tmp_path / "relay.db", relay_window_seconds=61, relay_per_address=11, relay_per_ip=12,
        relay_status_per_ip=13, relay_gas_per_member=2_000_001, relay_gas_window_seconds=86_401,
        relay_deadline_margin=62, relay_max_request_gas=200_000, relay_max_data_bytes=4097, max_body_bytes=40_000)
    with relay_client(settings) as client:
        info = client.get("/relay").json()
    assert info["limits"] == limits
    # The drops' own bounds (backend/relay/allowlist.py), each capped by the request cap: 300,000 for a claim is not.
    max_gas = {"enter(uint256)": 150_000, "draw(uint256)": 150_000, "moveSeedBlock(uint256)": 150_000,
               "claim(uint256,address)": 200_000, "refund(uint256,address)": 100_000}
    strings = {("IdeaBoard", "submit(string,string,bytes32)"): {"title": IDEA_MAX_TEXT_BYTES, "uri": IDEA_MAX_TEXT_BYTES},
               ("OdysseyGovernor", "castVoteWithReasonAndParamsBySig(uint256,uint8,address,string,bytes,bytes)"):
               {"reason": 1000}}
    assert len(info["allowlist"]) == 14
    for entry in info["allowlist"]:
        contract, function = entry["contract"], entry["function"]
        assert entry["address"] == c[contract].address
        assert entry["selector"] == Web3.keccak(text=function)[:4].to_0x_hex()
        assert entry["maxGas"] == (max_gas.get(function, 200_000) if contract == "OdysseyDrops" else 200_000)
        assert entry["maxStringBytes"] == strings.get((contract, function), {})


def test_valid_signed_claim_is_relayed_and_lands(client, w3, c):
    stamps, member, stamp_id = c["OdysseyStamps"], fresh_member(), next(_stamp_ids)
    voucher = voucher_for(stamps, member.address, stamp_id)
    before = w3.eth.get_transaction_count(RELAYER.address)

    response = client.post("/relay/claim", json={**voucher.as_dict(), "link": "ignored"})

    assert response.status_code == 202, response.text
    status = wait_status(client, response.json()["txHash"])
    assert status["status"] == "mined" and status["error"] is None
    assert w3.eth.get_transaction(response.json()["txHash"])["from"] == RELAYER.address
    assert w3.eth.get_transaction_count(RELAYER.address) == before + 1
    assert stamps.functions.balanceOf(member.address, stamp_id).call() == 1
    assert stamps.functions.pointsOf(member.address).call() == 20
    assert w3.eth.get_balance(member.address) == 0  # the member never had gas


def test_claim_as_a_raw_call_lands(client, c):
    stamps, member, stamp_id = c["OdysseyStamps"], fresh_member(), next(_stamp_ids)
    voucher = voucher_for(stamps, member.address, stamp_id)
    data = stamps.encode_abi("claim", args=list(voucher.claim_args()))

    response = client.post("/relay/call", json={"to": stamps.address.lower(), "data": data})

    assert response.status_code == 202, response.text
    assert wait_status(client, response.json()["txHash"])["status"] == "mined"
    assert stamps.functions.balanceOf(member.address, stamp_id).call() == 1


def test_relayed_join_makes_the_signer_a_member(client, w3, c):
    stamps, member = c["OdysseyStamps"], fresh_member()
    request = join_request(w3, c, member)

    response = client.post("/relay", json=request)

    assert response.status_code == 202, response.text
    assert wait_status(client, response.json()["txHash"])["status"] == "mined"
    assert stamps.functions.isMember(member.address).call()
    assert not stamps.functions.isMember(RELAYER.address).call()
    assert c["OdysseyForwarder"].functions.nonces(member.address).call() == 1


def test_relayed_delegate_moves_the_signers_votes(client, w3, c):
    stamps, member, delegatee, stamp_id = c["OdysseyStamps"], fresh_member(), fresh_member(), next(_stamp_ids)
    client.post("/relay/claim", json=voucher_for(stamps, member.address, stamp_id).as_dict())
    assert stamps.functions.getVotes(member.address).call() == 20
    data = stamps.encode_abi("delegate", args=[delegatee.address])

    response = client.post("/relay", json=forward_request(w3, c["OdysseyForwarder"], member, stamps.address, data))

    assert response.status_code == 202, response.text
    assert stamps.functions.delegates(member.address).call() == delegatee.address
    assert stamps.functions.getVotes(delegatee.address).call() == 20
    assert stamps.functions.getVotes(member.address).call() == 0


def test_numbers_may_be_decimal_strings_and_addresses_lowercase(client, w3, c):
    member = fresh_member()
    request = join_request(w3, c, member)
    request = {**request, "from": request["from"].lower(), **{k: str(request[k]) for k in ("value", "gas", "nonce", "deadline")}}
    response = client.post("/relay", json=request)
    assert response.status_code == 202, response.text


# ---------------------------------------------------------------- refusals cost nothing


def test_tampered_request_is_refused(client, w3, c):
    stamps, member, victim = c["OdysseyStamps"], fresh_member(), fresh_member()
    request = forward_request(w3, c["OdysseyForwarder"], member, stamps.address, stamps.encode_abi("delegate", args=[member.address]))
    tampered = {**request, "data": stamps.encode_abi("delegate", args=[victim.address])}
    with costs_relayer_nothing(w3):
        response = client.post("/relay", json=tampered)
    assert response.status_code == 422 and response.json()["code"] == "wrong_signer"
    assert response.json()["message"].startswith(f"signature: does not match from {member.address}")


def test_request_signed_by_someone_else_is_refused(client, w3, c):
    member, impostor = fresh_member(), fresh_member()
    request = join_request(w3, c, impostor)
    with costs_relayer_nothing(w3):
        response = client.post("/relay", json={**request, "from": member.address})
    assert response.status_code == 422 and "signature: does not match from" in response.json()["message"]
    assert response.json()["code"] == "wrong_signer"


def test_expired_request_is_refused(client, w3, c):
    request = join_request(w3, c, fresh_member(), valid_for=-10)
    with costs_relayer_nothing(w3):
        response = client.post("/relay", json=request)
    assert response.status_code == 422 and response.json()["code"] == "request_expired"
    assert response.json()["message"].startswith(f"deadline: the request expired at {request['deadline']}")


def test_replayed_request_is_refused(client, w3, c):
    request = join_request(w3, c, fresh_member())
    assert client.post("/relay", json=request).status_code == 202
    with costs_relayer_nothing(w3):
        response = client.post("/relay", json=request)
    assert response.status_code == 409 and response.json()["code"] == "nonce_used"
    assert "was already used (replay)" in response.json()["message"]


def test_request_with_a_future_nonce_is_refused(client, w3, c):
    member = fresh_member()
    request = join_request(w3, c, member, nonce=5)
    with costs_relayer_nothing(w3):
        response = client.post("/relay", json=request)
    assert response.status_code == 409 and "next forwarder nonce is 0" in response.json()["message"]
    assert response.json()["code"] == "nonce_not_due"


def test_wrong_target_is_refused(client, w3, c):
    member, stranger = fresh_member(), fresh_member()
    stamps = c["OdysseyStamps"]
    for target in (stranger.address, c["OdysseyForwarder"].address):
        request = forward_request(w3, c["OdysseyForwarder"], member, target, stamps.encode_abi("join", args=[]))
        with costs_relayer_nothing(w3):
            response = client.post("/relay", json=request)
        assert response.status_code == 403 and response.json()["code"] == "contract_not_relayed"
        assert response.json()["message"] == f"to: {target} is not a contract the relayer calls"


@pytest.mark.parametrize(
    "function, args",
    [
        ("createJourney", [99, "Mine", "", 0, 0]),
        ("setApprovalForAll", ["0x000000000000000000000000000000000000dEaD", True]),
        ("issue", ["0x000000000000000000000000000000000000dEaD", 1, 1, 0, 0]),
    ],
)
def test_function_off_the_allowlist_is_refused(client, w3, c, function, args):
    stamps = c["OdysseyStamps"]
    data = stamps.encode_abi(function, args=args)
    request = forward_request(w3, c["OdysseyForwarder"], fresh_member(), stamps.address, data)
    with costs_relayer_nothing(w3):
        response = client.post("/relay", json=request)
    assert response.status_code == 403 and response.json()["code"] == "function_not_relayed"
    assert response.json()["message"] == f"data: function {data[:10]} of OdysseyStamps is not relayed"


def test_direct_call_of_a_forwarded_function_is_refused(client, w3, c):
    stamps = c["OdysseyStamps"]
    with costs_relayer_nothing(w3):
        response = client.post("/relay/call", json={"to": stamps.address, "data": stamps.encode_abi("join", args=[])})
    assert response.status_code == 403 and response.json()["code"] == "function_not_relayed"
    assert "is not relayed (sign a ForwardRequest for POST /relay)" in response.json()["message"]


def test_forwarded_claim_is_refused(client, w3, c):
    stamps, member = c["OdysseyStamps"], fresh_member()
    data = stamps.encode_abi("claim", args=list(voucher_for(stamps, member.address, STAMPS[-1]).claim_args()))
    request = forward_request(w3, c["OdysseyForwarder"], member, stamps.address, data)
    with costs_relayer_nothing(w3):
        response = client.post("/relay", json=request)
    assert response.status_code == 403 and "(send it to POST /relay/call)" in response.json()["message"]
    assert response.json()["code"] == "function_not_relayed"


def test_request_asking_for_too_much_gas_or_ether_is_refused(client, w3, c):
    member = fresh_member()
    with costs_relayer_nothing(w3):
        greedy = client.post("/relay", json=join_request(w3, c, member, gas=5_000_000))
        paying = client.post("/relay", json=join_request(w3, c, member, value=1))
    assert greedy.status_code == 422 and greedy.json()["message"] == "gas: at most 1000000 per request to OdysseyStamps.join()"
    assert paying.status_code == 422 and paying.json()["message"].startswith("value: the relayer sends no ether")
    assert (greedy.json()["code"], paying.json()["code"]) == ("over_gas_cap", "value_not_zero")


def test_replayed_voucher_is_refused_with_the_decoded_error(client, w3, c):
    stamps, member, stamp_id = c["OdysseyStamps"], fresh_member(), next(_stamp_ids)
    voucher = voucher_for(stamps, member.address, stamp_id)
    assert client.post("/relay/claim", json=voucher.as_dict()).status_code == 202
    with costs_relayer_nothing(w3):
        response = client.post("/relay/claim", json=voucher.as_dict())
    assert response.status_code == 422 and response.json()["code"] == "would_revert"
    assert response.json()["message"] == f"OdysseyVoucherUsed(nonce={voucher.nonce})"
    assert response.json()["detail"][0]["type"] == "revert"


def test_expired_voucher_is_refused_with_the_decoded_error(client, w3, c):
    stamps, member = c["OdysseyStamps"], fresh_member()
    voucher = voucher_for(stamps, member.address, STAMPS[-1], valid_for=-60)
    with costs_relayer_nothing(w3):
        response = client.post("/relay/claim", json=voucher.as_dict())
    assert response.status_code == 422
    assert response.json()["message"] == f"OdysseyVoucherExpired(deadline={voucher.deadline})"


def test_voucher_signed_by_a_non_issuer_is_refused(client, w3, c):
    stamps, member = c["OdysseyStamps"], fresh_member()
    voucher = voucher_for(stamps, member.address, STAMPS[-1])
    forged = {**voucher.as_dict(), "stampId": STAMPS[-2]}  # signature no longer matches
    with costs_relayer_nothing(w3):
        response = client.post("/relay/claim", json=forged)
    assert response.status_code == 422 and response.json()["message"].startswith("OdysseyInvalidIssuer(signer=")


def test_forwarded_call_that_would_revert_is_refused_with_the_contracts_error(client, w3, c):
    member = fresh_member()
    assert client.post("/relay", json=join_request(w3, c, member)).status_code == 202
    with costs_relayer_nothing(w3):
        response = client.post("/relay", json=join_request(w3, c, member))
    assert response.status_code == 422 and response.json()["code"] == "would_revert"
    assert response.json()["message"] == f"OdysseyAlreadyMember(account={member.address})"


def test_redeeming_a_benefit_as_a_non_member_is_refused_with_the_contracts_error(client, w3, c):
    from tests.support.web import OPS

    benefits, member = c["OdysseyBenefits"], fresh_member()
    send(w3, benefits.functions.createBenefit(3, 10, "ipfs://perk"), OPS)
    benefit_id = benefits.functions.benefitCount().call()
    data = benefits.encode_abi("redeem", args=[benefit_id])
    with costs_relayer_nothing(w3):
        response = client.post("/relay", json=forward_request(w3, c["OdysseyForwarder"], member, benefits.address, data))
    assert response.status_code == 422
    assert response.json()["message"] == f"BenefitNotMember(account={member.address})"


@pytest.mark.parametrize(
    "change, field",
    [
        ({"from": "0x1234"}, "from"),
        ({"to": "not an address"}, "to"),
        ({"gas": -1}, "gas"),
        ({"deadline": 2**48}, "deadline"),
        ({"data": "0xzz"}, "data"),
        ({"signature": "0x1234"}, "signature"),
        ({"nonce": None}, "nonce"),
        ({"extra": 1}, "extra"),
    ],
)
def test_bad_input_is_a_422_naming_the_field(client, w3, c, change, field):
    request = {**join_request(w3, c, fresh_member()), **change}
    with costs_relayer_nothing(w3):
        response = client.post("/relay", json=request)
    assert response.status_code == 422 and "code" not in response.json()  # FastAPI's own checks name no code
    assert any(error["loc"][-1] == field for error in response.json()["detail"]), response.json()


def test_missing_field_and_non_json_body_are_422(client, w3, c):
    request = join_request(w3, c, fresh_member())
    del request["signature"]
    with costs_relayer_nothing(w3):
        missing = client.post("/relay", json=request)
        garbage = client.post("/relay/claim", content=b"{not json", headers={"content-type": "application/json"})
        short = client.post("/relay/call", json={"to": c["OdysseyStamps"].address, "data": "0x12"})
    assert missing.status_code == 422 and missing.json()["detail"][0]["loc"] == ["body", "signature"]
    assert garbage.status_code == 422
    assert short.status_code == 422 and short.json()["message"].startswith("data: too short")
    assert short.json()["code"] == "data_too_short" and short.json()["detail"][0]["type"] == "value_error"


def test_undecodable_arguments_are_refused(client, w3, c):
    stamps = c["OdysseyStamps"]
    data = stamps.encode_abi("claim", args=list(voucher_for(stamps, fresh_member().address, STAMPS[-1]).claim_args()))
    with costs_relayer_nothing(w3):
        response = client.post("/relay/call", json={"to": stamps.address, "data": data[:80]})
    assert response.status_code == 422 and response.json()["code"] == "arguments_malformed"
    assert response.json()["message"] == "data: arguments do not decode as OdysseyStamps.claim(address,uint256,uint256,uint256,bytes)"


# ---------------------------------------------------------------- rate limits


def test_over_rate_member_is_refused(chain, deployments_file, w3, c, tmp_path):
    settings = relay_settings(chain, deployments_file, tmp_path / "relay.db", relay_per_address=2, relay_per_ip=100)
    stamps, member, delegatee = c["OdysseyStamps"], fresh_member(), fresh_member()
    forwarder = c["OdysseyForwarder"]
    with relay_client(settings) as client:
        assert client.post("/relay", json=join_request(w3, c, member)).status_code == 202
        data = stamps.encode_abi("delegate", args=[delegatee.address])
        assert client.post("/relay", json=forward_request(w3, forwarder, member, stamps.address, data)).status_code == 202

        data = stamps.encode_abi("delegate", args=[member.address])
        with costs_relayer_nothing(w3):
            sent = time.time()
            response = client.post("/relay", json=forward_request(w3, forwarder, member, stamps.address, data))
            answered = time.time()
        assert response.status_code == 429 and response.json()["code"] == "member_rate_limited"
        assert response.json()["message"].startswith(f"too many relayed requests for {member.address}: try again in ")
        assert_waits_for_the_window_to_end(response, settings.relay_window_seconds, sent, answered)
        # Another member is not held back; the limit counts what the relayer would pay for.
        assert client.post("/relay", json=join_request(w3, c, fresh_member())).status_code == 202


def test_over_rate_voucher_member_is_refused(chain, deployments_file, w3, c, tmp_path):
    settings = relay_settings(chain, deployments_file, tmp_path / "relay.db", relay_per_address=1, relay_per_ip=100)
    stamps, member = c["OdysseyStamps"], fresh_member()
    with relay_client(settings) as client:
        assert client.post("/relay/claim", json=voucher_for(stamps, member.address, next(_stamp_ids)).as_dict()).status_code == 202
        with costs_relayer_nothing(w3):
            response = client.post("/relay/claim", json=voucher_for(stamps, member.address, next(_stamp_ids)).as_dict())
    assert response.status_code == 429 and response.json()["code"] == "member_rate_limited"


def test_over_rate_ip_is_refused(chain, deployments_file, w3, c, tmp_path):
    settings = relay_settings(chain, deployments_file, tmp_path / "relay.db", relay_per_address=100, relay_per_ip=2)
    with relay_client(settings) as client:
        assert client.post("/relay", json=join_request(w3, c, fresh_member())).status_code == 202
        assert client.post("/relay", json=join_request(w3, c, fresh_member(), valid_for=-5)).status_code == 422  # counts too
        with costs_relayer_nothing(w3):
            response = client.post("/relay", json=join_request(w3, c, fresh_member()))
    assert response.status_code == 429 and response.json()["code"] == "too_many_requests"
    assert response.json()["message"].startswith("too many requests from testclient")


def test_two_relay_apps_on_one_database_share_the_limits(chain, deployments_file, w3, c, tmp_path):
    """Two app instances (as two API processes would be), each with its own settings and Relay, one database."""
    database = tmp_path / "shared.db"
    first = relay_settings(chain, deployments_file, database, relay_per_address=2, relay_per_ip=3)
    second = relay_settings(chain, deployments_file, database, relay_per_address=2, relay_per_ip=3)
    stamps, forwarder, member = c["OdysseyStamps"], c["OdysseyForwarder"], fresh_member()
    with relay_client(first) as one, relay_client(second) as two:
        assert one.post("/relay", json=join_request(w3, c, member)).status_code == 202
        data = stamps.encode_abi("delegate", args=[fresh_member().address])
        assert two.post("/relay", json=forward_request(w3, forwarder, member, stamps.address, data)).status_code == 202
        with costs_relayer_nothing(w3):  # the member's third request, on either app, is over its limit of two
            data = stamps.encode_abi("delegate", args=[member.address])
            response = one.post("/relay", json=forward_request(w3, forwarder, member, stamps.address, data))
        assert response.status_code == 429 and response.json()["message"].startswith(f"too many relayed requests for {member.address}")
        assert response.json()["code"] == "member_rate_limited"
        # That refusal was the IP's third request of three: the other app refuses the IP's fourth.
        with costs_relayer_nothing(w3):
            response = two.post("/relay", json=join_request(w3, c, fresh_member()))
        assert response.status_code == 429 and response.json()["message"].startswith("too many requests from testclient")
        assert response.json()["code"] == "too_many_requests"


# ---------------------------------------------------------------- status


def test_status_of_unknown_and_malformed_hashes(client):
    unknown = client.get("/relay/0x" + "ab" * 32)
    assert unknown.status_code == 404 and unknown.json()["code"] == "unknown_transaction"
    assert client.get("/relay/0x1234").status_code == 422


# ---------------------------------------------------------------- relayer key


def test_relayer_key_from_a_keystore_or_env(tmp_path):
    key = Account.create()
    keystore = tmp_path / "relayer.json"
    keystore.write_text(json.dumps(Account.encrypt(key.key, "s3cret")))
    from_keystore = Settings(relay_keystore=keystore, relay_keystore_password="s3cret")
    assert relayer_account(from_keystore, 5).address == key.address
    password_file = tmp_path / "password"
    password_file.write_text("s3cret\n")
    assert relayer_account(Settings(relay_keystore=keystore, relay_keystore_password_file=password_file), 5).address == key.address
    assert relayer_account(Settings(relay_private_key=key.key.hex()), 5).address == key.address
    with pytest.raises(RuntimeError, match="wrong password"):
        relayer_account(Settings(relay_keystore=keystore, relay_keystore_password="nope"), 5)
    with pytest.raises(RuntimeError, match="no relayer key for chain 5"):
        relayer_account(Settings(), 5)
    with pytest.raises(RuntimeError, match="no relayer key for chain 1337"):  # no Ganache key on the local chain either
        relayer_account(Settings(), 1337)


def test_relay_and_page_settings_keep_their_variable_names(monkeypatch, tmp_path):
    key = Account.create()
    monkeypatch.setenv("ODYSSEY_RELAY_PRIVATE_KEY", key.key.hex())
    monkeypatch.setenv("ODYSSEY_RELAY_PER_IP", "7")
    monkeypatch.setenv("ODYSSEY_RELAY_EXTRA_FORWARDED", '{"IdeaBoard": ["withdrawSupport(uint256)"]}')
    monkeypatch.setenv("ODYSSEY_WEB_RELAY_URL", "https://relay.example/relay")
    monkeypatch.setenv("ODYSSEY_WEB_BUILD_DIR", str(tmp_path))
    settings = Settings()
    assert relayer_account(settings, 5).address == key.address
    assert settings.relay_per_ip == 7 and settings.relay_extra_forwarded == {"IdeaBoard": ["withdrawSupport(uint256)"]}
    assert settings.web_relay_url == "https://relay.example/relay" and settings.web_build_dir == tmp_path


def test_forward_request_signature_matches_the_forwarder(w3, c):
    member = fresh_member()
    request = join_request(w3, c, member)
    from backend.chain.forwarding import execute_args

    assert c["OdysseyForwarder"].functions.verify(execute_args(request)).call()
    resigned = sign_forward_request(member.key, {"name": "Other", "version": "1", "chainId": 1337, "verifyingContract": c["OdysseyForwarder"].address}, request)
    assert not c["OdysseyForwarder"].functions.verify(execute_args(resigned)).call()


def test_oversized_calldata_is_refused(client, w3, c):
    stamps = c["OdysseyStamps"]
    data = stamps.encode_abi("join", args=[]) + "00" * 4096
    with costs_relayer_nothing(w3):
        forwarded = client.post("/relay", json=forward_request(w3, c["OdysseyForwarder"], fresh_member(), stamps.address, data))
        direct = client.post("/relay/call", json={"to": stamps.address, "data": data})
    assert forwarded.status_code == 422 and forwarded.json()["message"] == "data: at most 4096 bytes"
    assert forwarded.json()["code"] == direct.json()["code"] == "data_too_long"
    assert direct.status_code == 422 and direct.json()["message"] == "data: at most 4096 bytes"


def test_the_api_serves_the_relay(chain, deployments_file, c, tmp_path):
    from fastapi.testclient import TestClient

    from backend.api.main import create_app

    settings = relay_settings(chain, deployments_file, tmp_path / "api.db", embedded_indexer=False)
    with TestClient(create_app(settings)) as client:
        assert client.get("/relay").json()["relayer"] == RELAYER.address


def test_relay_with_an_unreachable_node_is_503_saying_why_not_where(tmp_path):
    """The node's URL carries a provider's key: the refusal says what failed, never the URL."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed_port = sock.getsockname()[1]
    rpc_url = f"http://127.0.0.1:{closed_port}/v3/k3y-0f-the-pr0v1der"
    settings = Settings(rpc_url=rpc_url, deployments_file=tmp_path / "none.json", database_url=f"sqlite:///{tmp_path / 'relay.db'}")
    with relay_client(settings) as client:
        response = client.get("/relay")
    assert response.status_code == 503
    assert "k3y-0f-the-pr0v1der" not in response.text and str(closed_port) not in response.text
    assert response.json()["detail"] == response.json()["message"] == "relay unavailable: cannot connect to the node"
    assert response.json()["code"] == "relay_not_set_up"


def test_a_node_that_never_answers_costs_a_request_the_rpc_timeout_only(tmp_path):
    """A node that takes the connection and says nothing (overloaded, or a proxy in front of a dead one): the relay
    gives up after ODYSSEY_RPC_TIMEOUT, as it says, instead of holding the request and its worker."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        settings = Settings(rpc_url=f"http://127.0.0.1:{silent.getsockname()[1]}", rpc_timeout=1,
                            deployments_file=tmp_path / "none.json", database_url=f"sqlite:///{tmp_path / 'relay.db'}")
        with relay_client(settings) as client, ThreadPoolExecutor(1) as pool:
            started = time.monotonic()
            try:
                response = pool.submit(client.get, "/relay").result(timeout=20)
            finally:
                silent.close()  # a request still waiting ends (refused), so the test fails instead of hanging
            elapsed = time.monotonic() - started
    assert response.status_code == 503 and response.json()["code"] == "relay_not_set_up"
    assert response.json()["message"] == "relay unavailable: the node did not answer in time"
    assert 1 <= elapsed < 10


def test_settings_add_forwarded_functions_and_one_not_in_the_abi_keeps_the_relay_down(chain, deployments_file, c, tmp_path):
    """ODYSSEY_RELAY_EXTRA_FORWARDED: more functions the relayer pays for, checked against the deployed ABIs at
    start-up. A string argument no limit names gets the default bound."""
    propose = "propose(address[],uint256[],bytes[],string)"
    settings = relay_settings(chain, deployments_file, tmp_path / "relay.db",
                              relay_extra_forwarded={"OdysseyGovernor": [propose], "IdeaBoard": ["support(uint256)"]})
    with relay_client(settings) as client:
        allowlist = client.get("/relay").json()["allowlist"]
    added = [e for e in allowlist if e["contract"] == "OdysseyGovernor" and e["function"] == propose]
    assert [(e["mode"], e["maxStringBytes"]) for e in added] == [("forward", {"description": STRING_BYTES})]
    assert len(allowlist) == 15  # the fourteen, and propose: support was already there

    typo = relay_settings(chain, deployments_file, tmp_path / "typo.db", relay_extra_forwarded={"IdeaBoard": ["suport(uint256)"]})
    with relay_client(typo) as client:
        response = client.get("/relay")
    assert response.status_code == 503 and response.json()["code"] == "relay_not_set_up"
    assert response.json()["message"] == "relay unavailable: relay allowlist names IdeaBoard.suport(uint256), which is not in its ABI"


@pytest.fixture(params=["sqlite", "postgres"])
def limits_database(request, tmp_path):
    """Settings on a migrated database of each kind the relay runs on (PostgreSQL: a throwaway local server)."""
    from backend.db import migrate

    if request.param == "sqlite":
        settings = Settings(database_url=f"sqlite:///{tmp_path / 'limits.db'}", relay_window_seconds=60)
    else:
        database = request.getfixturevalue("postgres_server").create_database("limits_" + uuid.uuid4().hex[:12])
        settings = Settings(database_url=database, relay_window_seconds=60)
    migrate.upgrade(settings)
    return settings


def test_rate_limiter_counts_in_fixed_windows_and_sweeps_ended_ones(limits_database):
    from sqlalchemy import select

    from backend.db.models import RelayHit
    from backend.db.session import session_factory
    from backend.relay.limits import RateLimiter

    now = [6000.0]  # a window starts at every multiple of 60 s
    limiter = RateLimiter(limits_database, "ip", 2, clock=lambda: now[0])
    assert limiter.hit("a") is None and limiter.retry_after("a") is None
    now[0] += 30
    assert limiter.hit("a") is None
    assert limiter.retry_after("a") == 30 and limiter.retry_after("b") is None
    assert limiter.hit("a") == 30  # over the limit: refused, with the seconds to wait
    assert RateLimiter(limits_database, "member", 2, clock=lambda: now[0]).retry_after("a") is None  # another scope
    now[0] += 30  # the next window
    assert limiter.retry_after("a") is None and limiter.hit("a") is None
    with session_factory(limits_database)() as session:
        rows = session.execute(select(RelayHit.key, RelayHit.window_start, RelayHit.hits)).all()
    assert rows == [("a", 6_060_000, 1)]  # the ended window was deleted
    assert RateLimiter(limits_database, "ip", 0).hit("a") is None  # 0 disables


def test_rate_limiter_admits_exactly_the_limit_from_concurrent_processes(limits_database):
    """Twelve limiters (as in as many processes) count one key at once: exactly the limit gets through."""
    from concurrent.futures import ThreadPoolExecutor

    from backend.relay.limits import RateLimiter

    limiters = [RateLimiter(limits_database, "member", 5) for _ in range(12)]
    with ThreadPoolExecutor(12) as pool:
        answers = list(pool.map(lambda limiter: limiter.hit("0xMember"), limiters))
    assert sum(answer is None for answer in answers) == 5
