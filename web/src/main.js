// Odyssey member page: journeys (journeys.js), stamps, points, level, benefits, claim links, the shop, fair drops,
// community votes and the ideas board.
// Reads come from the Odyssey API; actions are signed in the member's wallet and sent by the relay (free for
// the member) unless they chose to pay the network fee themselves. The wallet reads from the chain only what
// signing needs (EIP-712 domains, nonces: wallet.js).
import { api, ApiError, waitForIndexed, waitForRelayed } from "./api.js";
import { mountDrops, REFUSALS as DROP_REFUSALS } from "./drops.js";
import { mountShop, REFUSALS as SHOP_REFUSALS } from "./shop.js";
import { h, short } from "./dom.js";
import { day, moment, number, relative, t, translatePage, withLang } from "./i18n.js";
import { setUpJourneys } from "./journeys.js";
import { voucherFromHash } from "./voucher.js";
import { ABI, friendlyWalletError, ideaContent, Wallet, WalletProblem } from "./wallet.js";

const $ = (id) => document.getElementById(id);

const points = (n) => t("points", { n });

// ---------------------------------------------------------------- state

const state = {
  config: null,
  wallet: null,
  account: null,
  member: null,
  voucher: null,
  ideaStage: "all",
  payGas: localStorage.getItem("odyssey.payGas") === "1",
  busy: false,
  connecting: null,
};
let journeys = null; // the Journeys view (journeys.js), set up at start

// ---------------------------------------------------------------- messages

function toast(text, kind = "info") {
  const el = $("toast");
  el.textContent = text;
  el.className = `toast ${kind === "error" ? "error" : "ok"}`;
  el.hidden = false;
  el.dataset.kind = kind;
}

// Contract refusals, as the relay or the wallet report them, in a member's words (refusal.<key> messages).
const REFUSALS = [
  [/VoucherUsed/, "voucherUsed"],
  [/VoucherExpired/, "voucherExpired"],
  [/AlreadyHolds/, "alreadyHolds"],
  [/InvalidIssuer/, "invalidIssuer"],
  [/OutsideWindow/, "outsideWindow"],
  [/SoldOut/, "soldOut"],
  [/GovernorAlreadyCastVote/, "alreadyVoted"],
  [/GovernorUnexpectedProposalState|ProposalState/, "voteNotOpen"],
  [/BenefitAlreadyRedeemed/, "benefitRedeemed"],
  [/BenefitLevelTooLow/, "benefitLevelTooLow"],
  [/BenefitNotMember/, "benefitNotMember"],
  [/IssuanceBudgetExceeded/, "issuanceBudget"],
  [/IdeaTooLong/, "ideaTooLong"],
  [/BenefitOutOfStock/, "benefitOutOfStock"],
  [/IdeaAlreadySupported/, "ideaSupported"],
  [/IdeaNotMember|NotEnoughPoints/, "needPoints"],
  [/AlreadyMember/, "alreadyMember"],
  ...SHOP_REFUSALS,
  ...DROP_REFUSALS,
];

// The issuer service's refusals a member can meet, by their code (backend/issuer/refusals.py; docs/activities.md):
// refusal.<key> messages. Others show the server's line: a partner's or a kiosk's, or bad input the page never sends.
const ISSUER_REFUSALS = {
  wrong_code: "wrongCode",
  stamp_held: "alreadyHolds",
  journey_not_started: "outsideWindow",
  journey_ended: "outsideWindow",
  stamps_missing: "collectFirst",
  unanswered_question: "answerEvery",
  activity_not_set_up: "activityNotSetUp",
  not_signed_in: "signInAgain",
  session_expired: "signInAgain",
  siwe_expired: "signInAgain",
  siwe_nonce_used: "signInAgain",
  siwe_from_future: "checkClock",
  siwe_not_yet_valid: "checkClock",
};

// The relay's own refusals a member can meet, by their code (backend/relay/refusals.py; docs/relay.md). A simulated
// revert (`would_revert`) is worded by the contract's error (REFUSALS); others show the server's line.
const RELAY_REFUSALS = {
  request_pending: "relayPending",
  member_rate_limited: "relayBusy",
  member_gas_used: "relayGasUsed",
  nonce_used: "relayNonce",
  nonce_not_due: "relayNonce",
  request_expired: "relayExpired",
  deadline_too_close: "relayExpired",
  wrong_signer: "relaySignature",
  relayer_out_of_funds: "relayOutOfFunds",
};

function friendly(error) {
  const text = error instanceof ApiError || error instanceof WalletProblem ? error.message : friendlyWalletError(error);
  // The two services' codes a member can meet do not overlap (both services' too_many_requests and node_unreachable
  // are worded by their status below).
  const coded = error instanceof ApiError && (ISSUER_REFUSALS[error.code] ?? RELAY_REFUSALS[error.code]);
  if (coded) return t(`refusal.${coded}`);
  if (error instanceof ApiError && error.status === 429) return t("error.tooManyRequests");
  // The server's own failures (the page's waits time out with 504 and say so themselves).
  if (error instanceof ApiError && [500, 502, 503].includes(error.status)) return t("error.server");
  for (const [pattern, key] of REFUSALS) if (pattern.test(text)) return t(`refusal.${key}`);
  return text;
}

// Run a member action on `button`: progress in the toast, errors in words, buttons locked meanwhile.
async function act(button, steps) {
  if (state.busy) return;
  state.busy = true;
  const label = button?.textContent;
  document.querySelectorAll("main button").forEach((b) => (b.dataset.wasDisabled = b.disabled, (b.disabled = true)));
  try {
    await steps((text) => {
      toast(text);
      if (button) button.textContent = text;
    });
  } catch (error) {
    console.error(error);
    toast(friendly(error), "error");
  } finally {
    if (button) button.textContent = label;
    document.querySelectorAll("main button").forEach((b) => (b.disabled = b.dataset.wasDisabled === "true"));
    state.busy = false;
  }
}

// Send a wallet-prepared action: through the relay (free) or already sent by the wallet (fee paid). Returns
// once the API's records include it.
async function deliver(prepared, progress) {
  let block = prepared.block;
  if (prepared.request || prepared.call || prepared.voucher) {
    progress(t("progress.sending"));
    const relay = state.config.relayUrl;
    const { txHash } = prepared.request
      ? await api.post(relay, prepared.request)
      : prepared.call
        ? await api.post(`${relay}/call`, prepared.call)
        : await api.post(`${relay}/claim`, prepared.voucher);
    progress(t("progress.waiting"));
    block = await waitForRelayed(relay, txHash);
  }
  progress(t("progress.updating"));
  await waitForIndexed(block);
  await refreshSync();
}

// ---------------------------------------------------------------- sync status

async function refreshSync() {
  let health;
  try {
    health = await api.get("/health");
  } catch {
    return;
  }
  // Members read how fresh the figures are in time; the block numbers stay in the tooltip for the curious.
  const sync = $("sync");
  const indexed = health.indexed_block;
  const blocks = indexed === null ? "" : t("sync.blocks", { indexed, head: health.chain_head ?? "?" });
  if (!health.rpc_ok) {
    sync.textContent = t("sync.offline");
    sync.hidden = false;
  } else if (!health.ready) {
    sync.textContent = indexed === null ? t("sync.firstRead") : t("sync.catchingUp");
    sync.hidden = false;
  } else {
    sync.hidden = true;
  }
  sync.title = blocks;
  $("block").textContent = indexed === null ? ""
    : health.ready && health.chain_head_at ? t("sync.fresh", { when: relative(health.chain_head_at) }) : t("sync.behind");
  $("block").title = blocks;
  $("block").dataset.block = indexed ?? "";
}

// ---------------------------------------------------------------- wallet

function renderWallet() {
  const box = $("wallet");
  box.replaceChildren();
  if (state.account) {
    box.append(h("span", { class: "who", title: state.account }, short(state.account)));
  } else if (!window.ethereum) {
    box.append(h("span", {}, t("wallet.none")));
  } else {
    box.append(h("button", { id: "connect", type: "button", class: "primary", onclick: connect }, t("wallet.connect")));
  }
}

// One connection at a time: a member who clicks Connect while the page is still starting and start()'s silent
// reconnect share it. A second one would lock the buttons and the toast half-way through and swallow the
// member's next click.
function connect() {
  if (!state.connecting) {
    state.connecting = connectWallet().finally(() => {
      if (!state.account) state.connecting = null; // refused in the wallet: the button offers it again
    });
  }
  return state.connecting;
}

async function connectWallet() {
  const button = $("connect");
  await act(button, async (progress) => {
    progress(t("progress.checkWallet"));
    await state.wallet.connect();
    state.account = state.wallet.account;
    localStorage.setItem("odyssey.connected", "1");
    $("toast").hidden = true;
  });
  renderWallet();
  if (state.account) {
    $("intro-wallet").textContent = t("intro.connected");
    await loadMember();
    await Promise.all([loadProposals(), loadIdeas(), renderClaim(), shop.load(), drops.load(), journeys.onConnected()]);
    document.body.dataset.connected = "1";
  }
}

// ---------------------------------------------------------------- member: points, level, stamps, benefits

async function loadMember() {
  if (!state.account) return;
  const profile = await api.get(`/members/${state.account}`, { allow404: true });
  state.member = profile ? profile.data : null;
  renderMember();
  $("intro").hidden = Boolean(state.member);
  if (state.member) {
    renderGallery(state.member.holdings);
  } else {
    $("stamps").hidden = true;
  }
  journeys?.render();
  await loadBenefits();
}

function renderMember() {
  const section = $("me");
  const body = $("me-body");
  section.hidden = false;
  const m = state.member;
  if (!m) {
    body.replaceChildren(
      h("p", {}, t("me.notMember")),
      h("button", { type: "button", class: "primary", id: "join", onclick: join }, t("me.join")),
    );
    return;
  }
  const floor = m.level_points;
  const next = m.next_level_points;
  const percent = next === null ? 100 : Math.max(0, Math.min(100, Math.round(((m.points - floor) / (next - floor)) * 100)));
  const progressText = next === null ? t("me.topLevel") : t("me.toNextLevel", { n: next - m.points, level: m.level + 1 });
  body.replaceChildren(
    h("div", { class: "stats" },
      h("div", { class: "stat" }, h("span", { class: "value", id: "points" }, number(m.points)), h("span", { class: "label" }, t("me.points", { n: m.points }))),
      h("div", { class: "stat" }, h("span", { class: "value", id: "level" }, number(m.level)), h("span", { class: "label" }, t("me.level"))),
      h("div", { class: "stat" }, h("span", { class: "value" }, number(m.stamps)), h("span", { class: "label" }, t("me.stamps", { n: m.stamps }))),
      h("div", { class: "stat" }, h("span", { class: "value" }, `#${m.number}`), h("span", { class: "label" }, t("me.number"))),
    ),
    h("div", {
      class: "progress", role: "progressbar", "aria-label": t("me.progress"), "aria-valuemin": "0",
      "aria-valuemax": "100", "aria-valuenow": String(percent), "aria-valuetext": progressText,
    }, h("span", { style: `width:${percent}%` })),
    h("p", { id: "next-level" }, progressText),
  );
}

function renderGallery(holdings) {
  $("stamps").hidden = false;
  const gallery = $("gallery");
  if (!holdings.length) {
    gallery.replaceChildren(h("li", {}, t("stamps.none")));
    return;
  }
  gallery.replaceChildren(...holdings.map((s) => h("li", { "data-stamp": s.stamp_id },
    h("img", { src: withLang(`/images/${s.stamp_id}.svg`), alt: t("stamps.alt", { name: s.name }), loading: "lazy", width: "160", height: "160" }),
    h("span", { class: "name", "data-content": "" }, s.name),
    h("span", { class: "stamp-points" }, points(s.points)),
    s.balance > 1 ? h("span", { class: "muted" }, ` × ${s.balance}`) : null,
  )));
}

async function join() {
  await act($("join"), async (progress) => {
    progress(t("progress.confirm"));
    const prepared = await state.wallet.memberAction("OdysseyStamps", ABI.stamps, "join", [], { payGas: state.payGas });
    await deliver(prepared, progress);
    toast(t("me.welcome"));
  });
  await loadMember();
  await loadProposals();
}

// A benefit's name from the benefits file (in the member's language), else the text its URI carries.
function benefitLabel(b) {
  if (b.name) return b.name;
  if (b.uri.startsWith("data:")) {
    try {
      return decodeURIComponent(b.uri.slice(b.uri.indexOf(",") + 1));
    } catch { /* fall through */ }
  }
  return t("benefits.fallbackName", { id: b.id });
}

async function loadBenefits() {
  const section = $("benefits");
  // The API says, per benefit, what this member may redeem: levels count at the benefit's snapshot block.
  const list = await api.get(state.account ? `/benefits?member=${state.account}` : "/benefits");
  const benefits = list.data.filter((b) => b.active);
  section.hidden = !state.account;
  if (!benefits.length) {
    $("benefits-body").replaceChildren(h("p", { class: "muted" }, t("benefits.none")));
    return;
  }
  const items = benefits.map((b) => {
    const out = b.stock === 0;
    const levelThen = b.member_level_at_snapshot ?? 0;
    const button = b.redeemed_by_member
      ? h("span", { class: "badge active" }, t("benefits.redeemed"))
      : h("button", {
        type: "button", disabled: !b.redeemable_by_member,
        onclick: (e) => redeem(e.currentTarget, b),
      }, t("benefits.redeem"));
    const facts = [
      b.min_level ? t("benefits.fromLevel", { level: b.min_level }) : t("benefits.everyone"),
      b.stock === null ? null : out ? t("benefits.noneLeft") : t("benefits.left", { n: b.stock }),
      levelThen < b.min_level ? t("benefits.levelThen", { level: levelThen }) : null,
    ];
    return h("li", { class: "item" },
      h("h3", { "data-content": "" }, benefitLabel(b)),
      b.description ? h("p", { "data-content": "" }, b.description) : null,
      h("p", {}, facts.filter((f) => f !== null).join(t("separator"))),
      /^https?:/.test(b.uri) ? h("p", {}, h("a", { href: b.uri, target: "_blank", rel: "noopener" }, t("benefits.link"))) : null,
      button,
    );
  });
  $("benefits-body").replaceChildren(h("ul", { class: "list" }, items));
}

async function redeem(button, benefit) {
  await act(button, async (progress) => {
    progress(t("progress.confirm"));
    const prepared = await state.wallet.memberAction("OdysseyBenefits", ABI.benefits, "redeem", [BigInt(benefit.id)], { payGas: state.payGas });
    await deliver(prepared, progress);
    toast(t("benefits.done", { name: benefitLabel(benefit) }));
  });
  await loadBenefits();
}

// ---------------------------------------------------------------- claim links

async function renderClaim() {
  const section = $("claim");
  const body = $("claim-body");
  let voucher;
  try {
    voucher = voucherFromHash(location.hash);
  } catch (error) {
    section.hidden = false;
    body.replaceChildren(h("p", {}, error.message));
    return;
  }
  state.voucher = voucher;
  if (!voucher) {
    section.hidden = true;
    return;
  }
  section.hidden = false;
  const stamp = await api.get(`/stamps/${voucher.stampId}`, { allow404: true });
  const name = stamp ? stamp.data.name : t("stamps.fallbackName", { id: String(voucher.stampId) });
  const parts = [
    h("div", { class: "stamp" },
      stamp ? h("img", { src: withLang(`/images/${voucher.stampId}.svg`), alt: t("stamps.alt", { name }), width: "128", height: "128" }) : null,
      h("div", {},
        h("p", {}, h("strong", { "data-content": "" }, name), stamp ? `${t("separator")}${points(stamp.data.points)}` : ""),
        h("p", { class: "muted" }, t("claim.forWhom", { member: short(voucher.member), deadline: moment(Number(voucher.deadline)) })),
      ),
    ),
  ];
  const holder = await api.get(`/members/${voucher.member}`, { allow404: true });
  const already = holder && holder.data.holdings.some((s) => s.stamp_id === String(voucher.stampId));
  if (already) {
    parts.push(h("p", { id: "claim-done" }, t("claim.done")));
    body.replaceChildren(...parts);
    return;
  }
  if (Number(voucher.deadline) * 1000 < Date.now()) {
    parts.push(h("p", {}, t("claim.expired")));
    body.replaceChildren(...parts);
    return;
  }
  if (!state.account) {
    parts.push(h("p", {}, t("claim.connect")));
  } else if (state.account.toLowerCase() !== voucher.member.toLowerCase()) {
    // Someone else's stamp: say whose, and offer to switch accounts rather than collect it for them.
    parts.push(
      h("p", { class: "sync", id: "claim-other" }, t("claim.other", { member: voucher.member, account: short(state.account) })),
      h("button", { type: "button", class: "primary", id: "switch-account", onclick: switchAccount }, t("claim.switch")),
    );
    body.replaceChildren(...parts);
    return;
  }
  parts.push(h("button", { type: "button", class: "primary", id: "claim-button", onclick: claim }, t("claim.collect")));
  if (state.payGas && state.account) parts.push(h("p", { class: "muted" }, t("claim.payingFee")));
  body.replaceChildren(...parts);
}

// Ask the wallet to choose an account (EIP-2255); the page follows the wallet's accountsChanged. Wallets without
// account permissions are switched in the wallet app itself.
async function switchAccount() {
  try {
    await window.ethereum.request({ method: "wallet_requestPermissions", params: [{ eth_accounts: {} }] });
  } catch (error) {
    if (error?.code === 4001) return;
    toast(t("claim.switchInApp"));
  }
}

async function claim() {
  const voucher = state.voucher;
  let ok = false;
  await act($("claim-button"), async (progress) => {
    let prepared;
    if (state.payGas && state.account) {
      progress(t("progress.confirm"));
      prepared = await state.wallet.claimPayingFee(voucher);
    } else {
      prepared = {
        voucher: {
          member: voucher.member, stampId: voucher.stampId.toString(), nonce: voucher.nonce.toString(),
          deadline: voucher.deadline.toString(), signature: voucher.signature,
        },
      };
    }
    await deliver(prepared, progress);
    ok = true;
  });
  if (!ok) return;
  history.replaceState(null, "", location.pathname + location.search);
  const stamp = await api.get(`/stamps/${voucher.stampId}`, { allow404: true });
  toast(stamp ? t("claim.collected", { name: stamp.data.name, n: stamp.data.points }) : t("claim.collectedUnnamed"));
  $("claim").hidden = true;
  state.voucher = null;
  await loadMember();
  await loadIdeas();
}

// ---------------------------------------------------------------- proposals

const SIMPLE_ORDER = [1, 0, 2]; // For, Against, Abstain
// A simple vote's For, Against and Abstain in the member's words; a multiple-choice option is the proposer's own text.
const optionWords = (p, option, label) => (p.kind === "simple" ? t("proposals.simpleOption", { option: String(option) }) : label);

async function loadProposals() {
  const [list, mine] = await Promise.all([
    api.get(state.account ? `/proposals?limit=50&member=${state.account}` : "/proposals?limit=50"),
    state.account ? api.get(`/members/${state.account}/votes?limit=200`, { allow404: true }) : null,
  ]);
  const myVotes = new Map((mine?.data || []).map((v) => [v.proposal_id, v]));
  const body = $("proposals-body");
  if (!list.data.length) {
    body.replaceChildren(h("p", { class: "muted" }, t("proposals.none")));
    return;
  }
  const items = list.data.map((p) => renderProposal(p, myVotes.get(p.id)));
  body.replaceChildren(h("ul", { class: "list" }, items));
  await refreshSync();
}

// When voting opens or closes, from the API's estimate (the chain's recent pace); "soon" when there is none yet, or
// when the estimate has passed but the chain has not reached the block (it makes blocks only as it needs them).
function when(p) {
  const [time, block] = p.state === "pending" ? [p.snapshot_time, p.snapshot] : [p.deadline_time, p.deadline];
  const phase = p.state === "pending" ? "opens" : "closes";
  const text = time > Date.now() / 1000 ? t(`proposals.${phase}`, { when: relative(time) }) : t(`proposals.${phase}Soon`);
  return h("span", { class: "when", title: t("proposals.block", { block }), "data-block": String(block) }, text);
}

function renderProposal(p, myVote) {
  const total = p.tallies.reduce((sum, t) => sum + t.weight, 0);
  const order = p.kind === "simple" ? SIMPLE_ORDER : p.options.map((_, i) => i);
  const tallies = order.map((option) => {
    const tally = p.tallies.find((x) => x.option === option) || { weight: 0, voters: 0 };
    const label = p.options[option] ?? t("proposals.option", { n: option + 1 });
    const share = total ? tally.weight / total : 0;
    return h("div", { class: "tally", "data-option": label },
      h("span", {}, optionWords(p, option, label)),
      h("span", { class: "bar", role: "img", "aria-label": t("proposals.share", { label: optionWords(p, option, label), share }) },
        h("span", { style: `width:${Math.round(share * 100)}%` })),
      h("span", { class: "n" }, points(tally.weight)),
    );
  });
  const counted = p.kind === "simple"
    ? (p.tallies.find((x) => x.option === 1)?.weight || 0) + (p.tallies.find((x) => x.option === 2)?.weight || 0)
    : total;
  const facts = [
    p.created_time ? t("proposals.created", { date: day(p.created_time) }) : null,
    t("proposals.voters", { n: p.voters }),
    p.quorum ? t(counted >= p.quorum ? "proposals.quorumMet" : "proposals.quorumNotMet", { n: p.quorum }) : null,
  ].filter(Boolean).join(t("separator"));
  const open = p.state === "active" || p.state === "pending";

  const parts = [
    h("h3", {}, p.title ? h("span", { "data-content": "" }, p.title) : t("proposals.untitled"),
      h("span", { class: `badge ${p.state}` }, t("proposals.state", { state: p.state }))),
    h("div", { class: "tallies" }, tallies),
    h("p", { class: "muted" }, facts, open ? t("separator") : null, open ? when(p) : null),
  ];
  const description = p.description.split("\n").slice(1).join("\n").trim();
  if (description) parts.push(h("details", {}, h("summary", {}, t("proposals.details")), h("p", { class: "desc", "data-content": "" }, description)));
  if (myVote) {
    const choice = optionWords(p, myVote.support, myVote.option ?? String(myVote.support));
    parts.push(h("p", { class: "my-vote" }, myVote.weight ? t("proposals.myVoteWeighed", { choice, n: myVote.weight }) : t("proposals.myVote", { choice })));
  } else if (p.state === "active" && state.account) {
    parts.push(voteControls(p, order));
  } else if (p.state === "active") {
    parts.push(h("p", { class: "muted" }, window.ethereum ? t("proposals.connect") : t("proposals.noWallet")));
  }
  return h("li", { class: "item proposal", "data-proposal": p.id }, parts);
}

function voteControls(p, order) {
  const weight = p.member_votes; // the votes the member had at the vote's snapshot
  const box = h("div", { class: "vote" });
  if (weight === 0) {
    box.append(h("p", {}, t("vote.noPoints")));
    return box;
  }
  if (weight !== null) box.append(h("p", {}, t("vote.weight", { n: weight })));
  const reasonId = `reason-${p.id.slice(0, 12)}`;
  const reason = h("input", { id: reasonId, maxlength: "280", autocomplete: "off" });
  box.append(h("label", { for: reasonId, class: "reason" }, t("vote.reason"), reason));
  const buttons = order.map((option) => {
    const label = p.options[option] ?? t("proposals.option", { n: option + 1 });
    const words = optionWords(p, option, label);
    return h("button", {
      type: "button", class: "primary", "data-vote": label,
      onclick: (e) => vote(e.currentTarget, p, option, words, reason.value.trim()),
    }, p.kind === "simple" ? t("vote.button", { choice: words }) : words);
  });
  box.append(h("div", { class: "choices", role: "group", "aria-label": t("vote.group", { title: p.title }) }, buttons));
  return box;
}

async function vote(button, p, option, label, reason) {
  let ok = false;
  await act(button, async (progress) => {
    progress(t("progress.confirm"));
    const prepared = await state.wallet.vote(BigInt(p.id), option, reason, { payGas: state.payGas });
    await deliver(prepared, progress);
    ok = true;
  });
  if (ok) {
    toast(t("vote.done", { choice: label }));
    await loadProposals();
  }
}

// ---------------------------------------------------------------- ideas

const stageWords = (stage) => t("ideas.stage", { stage });

function ideaText(uri) {
  if (!uri.startsWith("data:")) return null;
  try {
    return decodeURIComponent(uri.slice(uri.indexOf(",") + 1));
  } catch {
    return null;
  }
}

async function loadIdeas() {
  const body = $("ideas-body");
  const boardThere = Boolean(state.config.contracts.IdeaBoard);
  $("idea-form").hidden = !(boardThere && state.account && state.member && state.member.points > 0);
  if (!boardThere) {
    $("ideas-filter").replaceChildren();
    body.replaceChildren(h("p", { class: "muted" }, t("ideas.soon")));
    return;
  }
  const list = await api.get(state.account ? `/ideas?limit=200&member=${state.account}` : "/ideas?limit=200");
  const stages = [...new Set(list.data.map((i) => i.stage))];
  const tabs = ["all", ...stages].map((stage) => h("button", {
    type: "button", "aria-pressed": String(state.ideaStage === stage),
    onclick: () => { state.ideaStage = stage; loadIdeas(); },
  }, t("ideas.tab", {
    label: stage === "all" ? t("ideas.all") : stageWords(stage),
    n: stage === "all" ? list.data.length : list.data.filter((i) => i.stage === stage).length,
  })));
  $("ideas-filter").replaceChildren(...tabs);
  const shown = list.data.filter((i) => state.ideaStage === "all" || i.stage === state.ideaStage);
  if (!shown.length) {
    body.replaceChildren(h("p", { class: "muted" }, list.data.length ? t("ideas.noneAtStage") : t("ideas.none")));
    return;
  }
  const items = shown.map((idea) => {
    const text = ideaText(idea.uri);
    let supportButton = null;
    if (state.account && state.member && idea.author.toLowerCase() !== state.account.toLowerCase()) {
      supportButton = idea.supported_by_member
        ? h("span", { class: "badge active" }, t("ideas.supporting"))
        : h("button", { type: "button", onclick: (e) => supportIdea(e.currentTarget, idea) }, t("ideas.support"));
    }
    return h("li", { class: "item idea", "data-idea": idea.id },
      h("h3", {}, h("span", { "data-content": "" }, idea.title), h("span", { class: "badge" }, stageWords(idea.stage))),
      text ? h("p", { class: "desc", "data-content": "" }, text) : /^https?:/.test(idea.uri) ? h("p", {}, h("a", { href: idea.uri, target: "_blank", rel: "noopener" }, t("ideas.readMore"))) : null,
      h("p", { class: "muted" }, idea.created_time
        ? t("ideas.bylineDated", { author: short(idea.author), n: idea.supporters, created: day(idea.created_time) })
        : t("ideas.byline", { author: short(idea.author), n: idea.supporters })),
      supportButton,
    );
  });
  body.replaceChildren(h("ul", { class: "list" }, items));
}

async function supportIdea(button, idea) {
  await act(button, async (progress) => {
    progress(t("progress.confirm"));
    const prepared = await state.wallet.memberAction("IdeaBoard", ABI.board, "support", [BigInt(idea.id)], { payGas: state.payGas });
    await deliver(prepared, progress);
    toast(t("ideas.supported", { title: idea.title }));
  });
  await loadIdeas();
}

async function submitIdea(event) {
  event.preventDefault();
  const form = event.currentTarget;
  const title = form.title.value.trim();
  if (!title) return;
  let ok = false;
  await act(form.querySelector("button"), async (progress) => {
    progress(t("progress.confirm"));
    const { uri, contentHash } = ideaContent(form.text.value.trim());
    const prepared = await state.wallet.memberAction("IdeaBoard", ABI.board, "submit", [title, uri, contentHash], { payGas: state.payGas });
    await deliver(prepared, progress);
    ok = true;
  });
  if (ok) {
    form.reset();
    toast(t("ideas.submitted", { title }));
    await loadIdeas();
  }
}

// ---------------------------------------------------------------- shop and drops (shop.js, drops.js)

const views = { toast, hideToast: () => ($("toast").hidden = true), h, act, deliver, state, loadMember };
const shop = mountShop(views);
const drops = mountDrops(views);

// ---------------------------------------------------------------- start

async function start() {
  translatePage($("switcher"));
  $("pay-gas").checked = state.payGas;
  $("pay-gas").addEventListener("change", (e) => {
    state.payGas = e.currentTarget.checked;
    localStorage.setItem("odyssey.payGas", state.payGas ? "1" : "0");
    renderClaim();
  });
  $("idea-form").addEventListener("submit", submitIdea);
  window.addEventListener("hashchange", renderClaim);
  window.addEventListener("ethereum#initialized", () => state.wallet && !state.account && renderWallet(), { once: true });

  try {
    state.config = await api.get("/web/config.json");
    if (!state.config || !state.config.chainId) throw new Error(state.config?.detail || t("error.noConfig"));
  } catch (error) {
    toast(t("error.unavailable", { reason: error.message }), "error");
    return;
  }
  state.wallet = new Wallet(state.config);
  journeys = setUpJourneys({ state, toast, friendly, act, deliver, reloadMember: loadMember });
  renderWallet();
  if (!window.ethereum) {
    document.querySelector(".paygas").hidden = true;
    $("intro-wallet").textContent = t("intro.noWallet");
  }
  await refreshSync();
  setInterval(refreshSync, 5000);
  await Promise.all([renderClaim(), loadProposals(), loadIdeas(), shop.load(), drops.load(), journeys.load()]);

  // Reconnect silently if the member connected before and the wallet still shares the address.
  if (window.ethereum && localStorage.getItem("odyssey.connected") === "1") {
    const accounts = await window.ethereum.request({ method: "eth_accounts" }).catch(() => []);
    if (accounts.length) await connect();
  }
  // Another account or network chosen in the wallet after connecting: start over with it.
  window.ethereum?.on?.("accountsChanged", (accounts) => {
    if (state.account && String(accounts?.[0] || "").toLowerCase() !== state.account.toLowerCase()) location.reload();
  });
  window.ethereum?.on?.("chainChanged", (chainId) => {
    if (state.account && Number(chainId) !== state.config.chainId) location.reload();
  });
  document.body.dataset.ready = "1";
}

start();
