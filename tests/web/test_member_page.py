"""The member page in a real browser against the real stack: open a claim link → connect the wallet → collect
the stamp without paying → see it with its points → vote on a proposal by signature → see the vote counted.
A screenshot of each step lands in test-artifacts/web/."""
import re

from eth_utils import function_signature_to_4byte_selector
from playwright.sync_api import expect
from web3 import Web3
from web3.logs import DISCARD

from backend.chain.protocol import voucher_link
from tests.support.server import wait_until_indexed, wait_until_ready
from tests.support.web import send
from tests.support.web import send as send_tx
from tests.support.web import voucher_for
from tests.web.conftest import (
    AUTHOR, FEE_PAYER, JOINER, LAGGING_POLL, MEMBER, PROPOSER, QUIZ_POINTS, QUIZ_STAMP, SUPPORTER,
)
from tests.web.wallet import InjectedWallet

WAIT_MS = 60_000
# The reads signing needs: an EIP-712 domain, a forwarder's or governor's nonce.
SIGNING_READS = {"0x" + function_signature_to_4byte_selector(f).hex() for f in ("eip712Domain()", "nonces(address)")}
PROPOSAL = "Plant a tree for every hundred stamps\n\nThe treasury funds one tree per hundred stamps collected this season."


def short(address: str) -> str:
    return f"{address[:6]}…{address[-4:]}"


def mine(w3: Web3, blocks: int) -> None:
    for _ in range(blocks):
        w3.provider.make_request("evm_mine", [])


def open_proposal(w3: Web3, c: dict, text: str = PROPOSAL) -> int:
    """The proposer opens a vote (an ordinary For/Against/Abstain proposal) and the voting delay passes. One proposal
    per `text`: the governor refuses the same proposal twice."""
    governor, stamps = c["OdysseyGovernor"], c["OdysseyStamps"]
    calldata = stamps.encode_abi("setRoyalty", [400])
    receipt = send(w3, governor.functions.propose([stamps.address], [0], [calldata], f"# {text}"), PROPOSER)
    proposal_id = governor.events.ProposalCreated().process_receipt(receipt, errors=DISCARD)[0]["args"]["proposalId"]
    mine(w3, 2)
    return proposal_id


def open_page(context, account, w3: Web3, log_path) -> tuple:
    """A page with `account`'s wallet injected; page errors collected, the console written to `log_path`."""
    wallet = InjectedWallet(account.key, rpc_url=w3.provider.endpoint_uri, chain_id=w3.eth.chain_id)
    page = context.new_page()
    errors: list[str] = []
    log = log_path.open("w")
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda message: log.write(f"{message.type}: {message.text}\n") or log.flush())
    # Everything the page loads comes from Odyssey's own server: no CDN, no third party.
    page.on("request", lambda request: request.url.startswith(("http://127.0.0.1:", "data:"))
            or errors.append(f"request outside the server: {request.url}"))
    wallet.install(page)
    return page, wallet, errors


def test_member_claims_a_stamp_and_votes_without_paying(server, browser_context, w3, c, artifacts):
    stamps, governor = c["OdysseyStamps"], c["OdysseyGovernor"]
    page, wallet, errors = open_page(browser_context, MEMBER, w3, artifacts / "console-gasless.log")
    ether_before = w3.eth.get_balance(MEMBER.address)

    # 1. The member opens the claim link they were sent.
    voucher = voucher_for(stamps, MEMBER.address, QUIZ_STAMP)
    page.goto(voucher_link(server, voucher))
    claim = page.locator("#claim")
    expect(claim).to_be_visible(timeout=WAIT_MS)
    expect(claim).to_contain_text("Origins Quiz")
    expect(claim).to_contain_text(f"{QUIZ_POINTS} points")
    expect(page.locator("#claim-button")).to_be_visible()
    expect(page.locator("#block")).to_contain_text(re.compile(r"Figures up to date with the network, checked (just now|\d+ seconds ago)"))
    expect(page.locator("#block")).to_have_attribute("title", re.compile(r"Records up to block \d+; the network is at block \d+"))
    page.screenshot(path=artifacts / "01-open-claim-link.png", full_page=True)

    # 2. Connect: the wallet shares its address and is switched to Odyssey's chain.
    connect(page, wallet)
    assert "wallet_switchEthereumChain" in wallet.calls and wallet.current_chain == w3.eth.chain_id
    expect(page.locator("#me-body")).to_contain_text("You are not a member yet")
    page.screenshot(path=artifacts / "02-connected.png", full_page=True)

    # 3. Collect the stamp: the relay sends the voucher, the member pays nothing.
    page.click("#claim-button")
    expect(page.locator("#toast")).to_contain_text(f"Stamp collected: Origins Quiz, +{QUIZ_POINTS} points", timeout=WAIT_MS)
    stamp = page.locator(f'#gallery li[data-stamp="{QUIZ_STAMP}"]')
    expect(stamp).to_contain_text("Origins Quiz")
    expect(stamp).to_contain_text(f"{QUIZ_POINTS} points")
    expect(page.locator("#points")).to_have_text(str(QUIZ_POINTS))
    expect(page.locator("#level")).to_have_text("1")
    expect(page.locator("#claim")).to_be_hidden()
    page.wait_for_function(
        "(id) => { const img = document.querySelector(`#gallery li[data-stamp='${id}'] img`);"
        " return img && img.complete && img.naturalWidth > 0; }",
        arg=str(QUIZ_STAMP),
    )
    assert stamps.functions.balanceOf(MEMBER.address, QUIZ_STAMP).call() == 1
    assert w3.eth.get_balance(MEMBER.address) == ether_before
    page.screenshot(path=artifacts / "03-stamp-collected.png", full_page=True)

    # 4. A vote opens; the member (10 points at the snapshot) sees it after reloading.
    proposal_id = open_proposal(w3, c)
    wait_until_indexed(server, w3)
    page.reload()
    proposal = page.locator(f'li[data-proposal="{proposal_id}"]')
    expect(proposal).to_contain_text("Plant a tree for every hundred stamps", timeout=WAIT_MS)
    expect(proposal).to_contain_text("Voting open")
    expect(proposal).to_contain_text(f"Your vote counts {QUIZ_POINTS} points")
    expect(page.locator("#wallet .who")).to_have_text(short(MEMBER.address))
    page.screenshot(path=artifacts / "04-proposal-open.png", full_page=True)

    # 5. Vote For by signature: the relay sends castVoteBySig and the tally shows the member's points.
    proposal.locator('button[data-vote="For"]').click()
    expect(page.locator("#toast")).to_contain_text('your vote "For" is counted', timeout=WAIT_MS)
    proposal = page.locator(f'li[data-proposal="{proposal_id}"]')
    expect(proposal.locator('.tally[data-option="For"]')).to_contain_text(f"{QUIZ_POINTS} points")
    expect(proposal.locator(".my-vote")).to_have_text(f"You voted: For ({QUIZ_POINTS} points)")
    expect(proposal).to_contain_text("1 member voted")
    assert governor.functions.hasVoted(proposal_id, MEMBER.address).call()
    assert governor.functions.proposalVotes(proposal_id).call()[1] == QUIZ_POINTS
    assert w3.eth.get_balance(MEMBER.address) == ether_before
    page.screenshot(path=artifacts / "05-vote-counted.png", full_page=True)

    assert "eth_signTypedData_v4" in wallet.calls and "eth_sendTransaction" not in wallet.calls
    # What the page showed came from the API: the chain was asked only what signing needs.
    assert set(wallet.reads) <= SIGNING_READS and "eth_getLogs" not in wallet.calls
    assert errors == []


def open_multiple_choice(w3: Web3, c: dict) -> int:
    """The proposer opens a multiple-choice vote: each option's action sets another royalty."""
    governor, stamps = c["OdysseyGovernor"], c["OdysseyStamps"]
    calldatas = [stamps.encode_abi("setRoyalty", [300]), stamps.encode_abi("setRoyalty", [400])]
    receipt = send(w3, governor.functions.proposeMultipleChoice(
        [stamps.address, stamps.address], [0, 0], calldatas, ["Oat milk", "Almond milk"], [1, 2], False,
        "# Which plant milk should every store offer?\n\nThe winner is stocked in every store from next month.",
    ), PROPOSER)
    proposal_id = governor.events.ProposalCreated().process_receipt(receipt, errors=DISCARD)[0]["args"]["proposalId"]
    mine(w3, 2)
    return proposal_id


def test_member_pays_the_fee_for_a_claim_and_picks_an_option(server, browser_context, w3, c, artifacts):
    stamps, governor = c["OdysseyStamps"], c["OdysseyGovernor"]
    page, wallet, errors = open_page(browser_context, FEE_PAYER, w3, artifacts / "console-fee-payer.log")
    voucher = voucher_for(stamps, FEE_PAYER.address, QUIZ_STAMP)
    page.goto(voucher_link(server, voucher))
    expect(page.locator("#claim-button")).to_be_visible(timeout=WAIT_MS)

    # The member prefers paying the network fee: the claim is sent from their own wallet.
    page.check("#pay-gas")
    connect(page, wallet)
    expect(page.locator("#claim")).to_contain_text("You chose to pay the network fee yourself.")
    ether_before = w3.eth.get_balance(FEE_PAYER.address)
    page.click("#claim-button")
    expect(page.locator("#toast")).to_contain_text(f"Stamp collected: Origins Quiz, +{QUIZ_POINTS} points", timeout=WAIT_MS)
    expect(page.locator(f'#gallery li[data-stamp="{QUIZ_STAMP}"]')).to_contain_text(f"{QUIZ_POINTS} points")
    assert "eth_sendTransaction" in wallet.calls
    assert stamps.functions.balanceOf(FEE_PAYER.address, QUIZ_STAMP).call() == 1
    assert w3.eth.get_balance(FEE_PAYER.address) < ether_before
    page.screenshot(path=artifacts / "06-fee-paid-claim.png", full_page=True)

    # A multiple-choice vote opens; the member goes back to free actions and picks an option by signature.
    proposal_id = open_multiple_choice(w3, c)
    wait_until_indexed(server, w3)
    page.reload()
    proposal = page.locator(f'li[data-proposal="{proposal_id}"]')
    expect(proposal).to_contain_text("Which plant milk should every store offer?", timeout=WAIT_MS)
    expect(proposal.locator('button[data-vote="Almond milk"]')).to_be_visible()
    expect(proposal.locator('button[data-vote="Oat milk"]')).to_be_visible()
    page.uncheck("#pay-gas")
    ether_before = w3.eth.get_balance(FEE_PAYER.address)
    page.screenshot(path=artifacts / "07-multiple-choice-open.png", full_page=True)

    proposal.locator('button[data-vote="Almond milk"]').click()
    expect(page.locator("#toast")).to_contain_text('your vote "Almond milk" is counted', timeout=WAIT_MS)
    proposal = page.locator(f'li[data-proposal="{proposal_id}"]')
    expect(proposal.locator('.tally[data-option="Almond milk"]')).to_contain_text(f"{QUIZ_POINTS} points")
    expect(proposal.locator('.tally[data-option="Oat milk"]')).to_contain_text("0 points")
    expect(proposal.locator(".my-vote")).to_have_text(f"You voted: Almond milk ({QUIZ_POINTS} points)")
    assert [int(v) for v in governor.functions.optionVotes(proposal_id).call()] == [0, QUIZ_POINTS]
    assert w3.eth.get_balance(FEE_PAYER.address) == ether_before
    page.screenshot(path=artifacts / "08-multiple-choice-voted.png", full_page=True)
    assert errors == []


def test_page_says_when_its_records_are_catching_up(lagging_server, browser_context, w3, artifacts):
    wait_until_ready(lagging_server)  # just caught up: its indexer now sleeps LAGGING_POLL seconds
    mine(w3, 5)
    head = w3.eth.block_number
    page, _wallet, errors = open_page(browser_context, MEMBER, w3, artifacts / "console-lagging.log")
    page.goto(lagging_server)
    sync = page.locator("#sync")
    expect(sync).to_be_visible(timeout=WAIT_MS)
    # The member reads how it stands in words; the block numbers are in the tooltip for the curious.
    expect(sync).to_contain_text("Catching up: the figures shown are a little behind the network.")
    expect(sync).to_have_attribute("title", re.compile(rf"Records up to block {head - 5}; the network is at block {head}\b"))
    expect(page.locator("#block")).to_have_text("Figures are catching up with the network.")
    page.screenshot(path=artifacts / "09-catching-up.png", full_page=True)

    # Once the indexer has looked again, the notice goes away by itself.
    expect(sync).to_be_hidden(timeout=(LAGGING_POLL + 15) * 1000)
    expect(page.locator("#block")).to_have_attribute("title", re.compile(rf"Records up to block {head}\b"))
    expect(page.locator("#block")).to_contain_text("Figures up to date with the network")
    assert errors == []


def connect(page, wallet: InjectedWallet) -> None:
    """Click Connect as soon as the page offers it (it may still be loading), then wait until the member's records
    are on the page and the page has started: the next click is the member's own, never lost to the connection."""
    page.click("#connect")
    expect(page.locator("#wallet .who")).to_have_text(short(wallet.account.address), timeout=WAIT_MS)
    expect(page.locator("body")).to_have_attribute("data-connected", "1", timeout=WAIT_MS)
    expect(page.locator("body")).to_have_attribute("data-ready", "1", timeout=WAIT_MS)
    assert wallet.calls.count("eth_requestAccounts") == 1, "the page connected the wallet more than once"


def connected_page(context, account, w3: Web3, server: str, artifacts, name: str) -> tuple:
    page, wallet, errors = open_page(context, account, w3, artifacts / f"console-{name}.log")
    page.goto(server)
    connect(page, wallet)
    return page, wallet, errors


def test_newcomer_joins_without_paying(server, browser_context, w3, c, artifacts):
    stamps = c["OdysseyStamps"]
    page, wallet, errors = connected_page(browser_context, JOINER, w3, server, artifacts, "join")
    ether_before = w3.eth.get_balance(JOINER.address)
    page.click("#join")
    expect(page.locator("#toast")).to_contain_text("Welcome to Odyssey! You are now a member.", timeout=WAIT_MS)
    expect(page.locator("#points")).to_have_text("0")
    expect(page.locator("#level")).to_have_text("0")
    expect(page.locator("#next-level")).to_have_text("10 points to level 1")
    assert stamps.functions.isMember(JOINER.address).call()
    assert w3.eth.get_balance(JOINER.address) == ether_before
    page.screenshot(path=artifacts / "10-joined.png", full_page=True)
    assert errors == []


def test_member_redeems_a_benefit_of_their_level(server, browser_context, w3, c, artifacts):
    benefits = c["OdysseyBenefits"]
    page, wallet, errors = connected_page(browser_context, AUTHOR, w3, server, artifacts, "benefit")
    benefit = page.locator("#benefits-body li", has_text="A free drink of your choice")
    expect(benefit).to_contain_text("From level 1 · 100 left", timeout=WAIT_MS)
    ether_before = w3.eth.get_balance(AUTHOR.address)
    benefit.get_by_role("button", name="Redeem").click()
    expect(page.locator("#toast")).to_contain_text("Redeemed: A free drink of your choice.", timeout=WAIT_MS)
    benefit = page.locator("#benefits-body li", has_text="A free drink of your choice")
    expect(benefit).to_contain_text("Redeemed")
    expect(benefit).to_contain_text("99 left")
    assert benefits.functions.redeemed(1, AUTHOR.address).call()
    assert w3.eth.get_balance(AUTHOR.address) == ether_before
    page.screenshot(path=artifacts / "11-benefit-redeemed.png", full_page=True)
    assert errors == []


def test_member_submits_an_idea_without_paying(server, browser_context, w3, c, artifacts):
    board = c["IdeaBoard"]
    page, wallet, errors = connected_page(browser_context, AUTHOR, w3, server, artifacts, "idea")
    form = page.locator("#idea-form")
    expect(form).to_be_visible(timeout=WAIT_MS)
    text = "Offer oat milk in every store, at no extra cost."
    form.get_by_label("Title").fill("Oat milk everywhere")
    form.get_by_label("Describe it").fill(text)
    ether_before = w3.eth.get_balance(AUTHOR.address)
    form.get_by_role("button", name="Submit idea").click()
    expect(page.locator("#toast")).to_contain_text('Thank you: "Oat milk everywhere" is on the ideas board.', timeout=WAIT_MS)
    count = board.functions.ideaCount().call()
    idea = board.functions.idea(count).call()
    assert (idea[0], idea[10], idea[12]) == (AUTHOR.address, "Oat milk everywhere", Web3.keccak(text=text))
    assert w3.eth.get_balance(AUTHOR.address) == ether_before
    page.screenshot(path=artifacts / "12-idea-submitted.png", full_page=True)
    assert errors == []


def test_ideas_board_lists_ideas_by_stage_and_takes_support(server, browser_context, w3, c, artifacts):
    board = c["IdeaBoard"]
    send_tx(w3, board.functions.submit("Reusable cups", "data:text/plain;charset=utf-8,Bring%20your%20own", b"\0" * 32), AUTHOR)
    wait_until_indexed(server, w3)
    page, wallet, errors = connected_page(browser_context, SUPPORTER, w3, server, artifacts, "ideas")
    idea = page.locator("li.idea", has_text="Reusable cups")
    expect(idea).to_contain_text("0 supporters", timeout=10_000)
    idea.get_by_role("button", name="Support this idea").click()
    expect(page.locator("#toast")).to_contain_text('You now support "Reusable cups".', timeout=WAIT_MS)
    idea = page.locator("li.idea", has_text="Reusable cups")
    expect(idea).to_contain_text("1 supporter")
    expect(idea).to_contain_text("You support this")
    page.screenshot(path=artifacts / "13-idea-supported.png", full_page=True)
    assert set(wallet.reads) <= SIGNING_READS  # who supports what: the API's word
    assert errors == []


def test_api_docs_work_without_internet(server, browser_context, artifacts):
    """/docs: Swagger UI renders the API's OpenAPI document with files the API serves itself, nothing from a CDN."""
    page = browser_context.new_page()
    outside: list[str] = []
    page.on("request", lambda request: request.url.startswith("http://127.0.0.1:") or outside.append(request.url))
    page.goto(f"{server}/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Odyssey API", timeout=WAIT_MS)
    expect(page.locator(".opblock-summary-path", has_text="/members/{address}").first).to_be_visible()
    page.screenshot(path=artifacts / "15-api-docs.png", full_page=True)
    assert outside == []


def test_visitor_without_a_wallet_reads_the_votes(server, browser_context, w3, c, artifacts):
    page = browser_context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(server)
    expect(page.locator("#wallet")).to_have_text("No wallet found in this browser", timeout=WAIT_MS)
    expect(page.locator("#intro-wallet")).to_contain_text("open this page in a browser with a wallet app")
    expect(page.locator("#proposals-body")).not_to_contain_text("Loading")
    expect(page.locator("#me")).to_be_hidden()
    expect(page.locator("#block")).to_have_attribute("title", re.compile(r"Records up to block \d+"))
    page.screenshot(path=artifacts / "14-no-wallet.png", full_page=True)
    assert errors == []

