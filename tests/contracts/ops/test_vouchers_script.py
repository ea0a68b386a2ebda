import pytest

from backend.chain.protocol import parse_voucher_link
from backend.dev.keys import local_account
from scripts.lib.common import ScriptError, read_members_csv
from scripts.vouchers import issue_vouchers


@pytest.fixture
def members_csv(tmp_path, members):
    path = tmp_path / "members.csv"
    path.write_text("address,name\n" + "".join(f"{str(m).lower()},member {i}\n" for i, m in enumerate(members[:3])))
    return path


def test_vouchers_claim_for_each_member(stamps, journey, members, members_csv, issuer_key, accounts):
    vouchers = issue_vouchers(stamps, read_members_csv(members_csv), 101, 30, issuer_key, "http://host")
    assert [v["member"] for v in vouchers] == [str(m) for m in members[:3]]
    assert len({v["nonce"] for v in vouchers}) == 3
    for v in vouchers:
        stamps.claim(v["member"], v["stampId"], v["nonce"], v["deadline"], v["signature"], {"from": accounts[3]})
    assert [stamps.balanceOf(m, 101) for m in members[:3]] == [1, 1, 1]


def test_voucher_link_carries_the_voucher(stamps, journey, members_csv, issuer_key):
    voucher = issue_vouchers(stamps, read_members_csv(members_csv), 101, 1, issuer_key, "http://host:8000/")[0]
    assert voucher["link"].startswith("http://host:8000/#claim=")
    parsed = parse_voucher_link(voucher["link"])
    assert parsed.signature == voucher["signature"] and parsed.nonce == voucher["nonce"]


def test_vouchers_from_a_key_without_issuer_role_are_refused(stamps, journey, members_csv):
    with pytest.raises(ScriptError, match="does not hold ISSUER_ROLE"):
        issue_vouchers(stamps, read_members_csv(members_csv), 101, 1, local_account(7).key, "http://host")


def test_two_batches_never_share_a_nonce(stamps, journey, members_csv, issuer_key):
    first = issue_vouchers(stamps, read_members_csv(members_csv), 101, 1, issuer_key, "http://host")
    second = issue_vouchers(stamps, read_members_csv(members_csv), 102, 1, issuer_key, "http://host")
    assert not {v["nonce"] for v in first} & {v["nonce"] for v in second}


@pytest.mark.parametrize(
    "text, message",
    [
        ("name\nann\n", "no 'address' column"),
        ("address\n0x123\n", ":2: not an address: '0x123'"),
        ("address\n0x21b42413bA931038f35e7A5224FaDb065d297Ba3\n0x21b42413ba931038f35e7a5224fadb065d297ba3\n",
         ":3: 0x21b42413bA931038f35e7A5224FaDb065d297Ba3 repeats line 2"),
        ("address\n", "no member rows"),
    ],
)
def test_bad_members_csv_stops_with_one_line_error(tmp_path, text, message):
    path = tmp_path / "m.csv"
    path.write_text(text)
    with pytest.raises(ScriptError) as error:
        read_members_csv(path)
    assert message in str(error.value)
