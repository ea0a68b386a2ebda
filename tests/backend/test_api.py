"""API contract: envelopes with the block, checksummed out / any case in, 422 naming the field, 404, no 500s,
cursor pagination, ERC-1155 metadata in both {id} forms, SVG images."""
import base64
import random
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from backend.indexer.runner import Indexer
from tests.backend.conftest import DATABASES, fresh_chain, new_database
from tests.backend.mirror import all_pages


@pytest.fixture(scope="module", params=DATABASES)
def indexed(request, ganache, deployment, base_snapshot, settings_for, client_for, tmp_path_factory):
    """One workload, indexed once per database, shared by the (read-only) tests of this module."""
    chain = fresh_chain(ganache, deployment, base_snapshot)
    settings = settings_for(new_database(request.param, request, tmp_path_factory.mktemp("api")))
    chain.random_workload(random.Random(21), 40)
    indexer = Indexer(settings)
    indexer.setup()
    indexer.sync()
    return chain, client_for(settings)


def test_every_list_and_item_reflects_the_indexed_block_in_header_and_body(indexed):
    chain, client = indexed
    head = chain.head()
    member = chain.address(4)
    for url in ["/members", f"/members/{member}", f"/members/{member}/stamps", f"/members/{member}/votes",
                f"/members/{member}/ideas", f"/members/{member}/claims", "/journeys", "/journeys/1", "/stamps",
                "/stamps/1", "/stamps/1/holders", "/claims", "/proposals", "/ideas", "/benefits", "/treasury", "/stats",
                "/shop", f"/shop/3?member={member}", "/drops", f"/members/{member}/drops"]:
        response = client.get(url)
        assert response.status_code == 200, (url, response.text)
        assert response.headers["X-Odyssey-Block"] == str(head), url
        assert response.json()["block"]["number"] == head, url


def test_addresses_any_case_in_checksummed_out(indexed):
    chain, client = indexed
    address = chain.address(4)
    for form in (address, address.lower(), "0x" + address[2:].upper()):
        body = client.get(f"/members/{form}").json()["data"]
        assert body["address"] == address and body["delegate"] == chain.stamps.functions.delegates(address).call()
    for claim in client.get(f"/claims?member={address.lower()}").json()["data"]:
        assert claim["member"] == address


@pytest.mark.parametrize("url,field", [
    ("/members/0x123", "address"),
    ("/members/not-an-address/stamps", "address"),
    ("/members?limit=0", "limit"),
    ("/members?limit=100000", "limit"),
    ("/members?cursor=%%%", "cursor"),
    ("/stamps/abc", "stamp_id"),
    ("/stamps/-5/holders", "stamp_id"),
    ("/stamps/" + str(2**256), "stamp_id"),
    ("/claims?method=stolen", "method"),
    ("/claims?member=0xZZ", "member"),
    ("/claims?stamp_id=x", "stamp_id"),
    ("/proposals?state=bogus", "state"),
    ("/journeys/-1", "journey_id"),
    ("/journeys/99999999999999999999", "journey_id"),
    ("/metadata/12ab.json", "id"),
    ("/images/zz.svg", "id"),
    ("/shop?member=0x12", "member"),
    ("/shop/x", "stamp_id"),
    ("/drops?state=bogus", "state"),
    ("/drops?member=nobody", "member"),
    ("/drops/abc", "drop_id"),
    ("/drops/1/entries?won=maybe", "won"),
    ("/drops/1/entries?cursor=%%%", "cursor"),
    ("/members/0x12/drops", "address"),
])
def test_bad_input_gets_422_naming_the_field(indexed, url, field):
    _, client = indexed
    response = client.get(url)
    assert response.status_code == 422, response.text
    assert field in [e["loc"][-1] for e in response.json()["detail"]]


@pytest.mark.parametrize("url", [
    "/members/0x0000000000000000000000000000000000000001", "/stamps/77", "/stamps/77/holders", "/journeys/42",
    "/proposals/1", "/proposals/1/votes", "/ideas/1", "/metadata/77.json", "/images/77.svg", "/nope",
    "/shop/77", "/shop/1", "/drops/1", "/drops/1/entries",
])
def test_unknown_things_are_404(indexed, url):
    _, client = indexed
    assert client.get(url).status_code == 404


def test_leaderboard_cursor_pages_cover_everyone_once_in_order(indexed):
    chain, client = indexed
    everyone = client.get("/members?limit=500").json()
    paged = all_pages(client, "/members")
    assert paged == everyone["data"] and len(paged) == everyone["count"]
    assert [m["address"] for m in paged] == [m["address"] for m in sorted(paged, key=lambda m: (-m["points"], m["number"]))]
    claims = all_pages(client, "/claims")
    assert len(claims) == client.get("/stats").json()["data"]["claims"]
    assert claims == sorted(claims, key=lambda c: (c["block_number"], c["log_index"]), reverse=True)


def test_erc1155_metadata_at_the_contract_uri_in_both_id_forms(indexed):
    chain, client = indexed
    uri = chain.stamps.functions.uri(3).call()
    assert uri.endswith("/metadata/{id}.json")
    hex_id = f"{3:064x}"
    by_hex = client.get(f"/metadata/{hex_id}.json")
    by_decimal = client.get("/metadata/3.json")
    assert by_hex.status_code == by_decimal.status_code == 200
    assert by_hex.json() == by_decimal.json()
    body = by_hex.json()
    assert body["name"] == chain.stamps.functions.stampName(3).call()
    assert {a["trait_type"] for a in body["attributes"]} >= {"Journey", "Points"}
    assert body["image"].endswith("/images/3.svg")
    image = client.get("/images/3.svg")
    assert image.status_code == 200 and image.headers["content-type"].startswith("image/svg+xml")
    assert image.text.startswith("<svg") and "Holiday Cup" in image.text
    assert client.get(f"/images/{hex_id}.svg").text == image.text


def test_health_and_ready_when_caught_up(indexed):
    chain, client = indexed
    for url in ("/health", "/ready"):
        body = client.get(url)
        assert body.status_code == 200
        assert body.json()["indexed_block"] == body.json()["chain_head"] == chain.head()
        assert body.json()["lag"] == 0


def test_openapi_docs_are_served(indexed):
    _, client = indexed
    assert client.get("/docs").status_code == 200
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/members/{address}", "/proposals", "/ideas", "/metadata/{token}.json", "/ready"} <= set(paths)


_segment = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="/?#%"), min_size=1, max_size=80)


@hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(segment=_segment, route=st.sampled_from(["/members/{}", "/members/{}/stamps", "/stamps/{}", "/stamps/{}/holders",
                                                 "/metadata/{}.json", "/images/{}.svg", "/proposals/{}", "/ideas/{}",
                                                 "/journeys/{}", "/claims?member={}", "/members?cursor={}",
                                                 "/claims?stamp_id={}", "/ideas?stage={}", "/members?limit={}",
                                                 "/shop/{}", "/drops/{}", "/drops/{}/entries", "/drops?state={}",
                                                 "/drops/1/entries?won={}", "/drops?member={}",
                                                 "/metadata/{}/1.json", "/stamps?lang={}"]))
def test_no_client_input_gets_a_500(indexed, segment, route):
    _, client = indexed
    response = client.get(route.format(quote(segment, safe="")))
    assert response.status_code < 500, (route, segment, response.text)


# ---------------------------------------------------------------- numbers past the database's range, non-ASCII digits


def _cursor(text: str) -> str:
    """A cursor as the API encodes one, around a JSON text written by hand (so 1e309 stays a literal)."""
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


# Every paginated route, with the JSON of the values its cursor holds after the sort key.
PAGINATED = {
    "/members": "1, 1", "/members/{member}/votes": "1", "/members/{member}/claims": "1", "/claims": "1",
    "/proposals": '"1"', "/ideas": '"1"', "/proposals/1/votes": "1", "/stamps/1/holders": '"0x00"', "/drops": '"1"',
}


@pytest.mark.parametrize("route", PAGINATED)
@pytest.mark.parametrize("sort_key", [str(2**63), str(-(2**63) - 1), "1e309", "1.5", "true"])
def test_cursor_sort_key_that_is_not_a_64_bit_integer_is_422_not_500(indexed, route, sort_key):
    chain, client = indexed
    url = route.format(member=chain.address(4))
    response = client.get(url, params={"cursor": _cursor(f"[{sort_key}, {PAGINATED[route]}]")})
    assert response.status_code == 422, (url, response.text)
    assert [e["loc"] for e in response.json()["detail"]] == [["query", "cursor"]]


def test_the_audits_cursor_and_journey_id_past_the_database_range_are_422(indexed):
    _, client = indexed
    claims = client.get("/claims?cursor=WzkyMjMzNzIwMzY4NTQ3NzU4MDgsIDFd")
    stamps = client.get("/stamps?journey_id=9223372036854775808")
    assert claims.status_code == 422 and claims.json()["detail"][0]["loc"] == ["query", "cursor"]
    assert stamps.status_code == 422 and stamps.json()["detail"][0]["loc"] == ["query", "journey_id"]


@pytest.mark.parametrize("url,field", [
    ("/ideas/１", "idea_id"),  # fullwidth digit one
    ("/stamps/١٢٣", "stamp_id"),  # Arabic-Indic 123
    ("/stamps/1_0", "stamp_id"),
    ("/stamps/+1", "stamp_id"),
    ("/stamps/%201", "stamp_id"),
    ("/proposals/１", "proposal_id"),
    ("/journeys/１", "journey_id"),
    ("/journeys/+1", "journey_id"),
    ("/metadata/１.json", "id"),
    ("/images/١.svg", "id"),
    ("/claims?stamp_id=١", "stamp_id"),
    ("/stamps?journey_id=1_0", "journey_id"),
    ("/members?limit=+5", "limit"),
    ("/members?limit=%205", "limit"),
])
def test_numbers_take_ascii_digits_only(indexed, url, field):
    _, client = indexed
    response = client.get(url)
    assert response.status_code == 422, (url, response.text)
    assert field in [e["loc"][-1] for e in response.json()["detail"]]
