// Odyssey member page: journeys (journeys.js), stamps, points, level, benefits, claim links, the shop, fair drops,
// community votes and the ideas board.
// Reads come from the Odyssey API; actions are signed in the member's wallet and sent by the relay (free for
// the member) unless they chose to pay the network fee themselves. The wallet reads from the chain only what
// signing needs (EIP-712 domains, nonces: wallet.js).
import { api, ApiError, waitForIndexed, waitForRelayed } from "./api.js";
import { mountDrops, REFUSALS as DROP_REFUSALS } from "./drops.js";
import { mountShop, REFUSALS as SHOP_REFUSALS } from "./shop.js";
import { h, short } from "./dom.js";
import { setUpJourneys } from "./journeys.js";
import { voucherFromHash } from "./voucher.js";
import { ABI, friendlyWalletError, ideaContent, Wallet, WalletProblem } from "./wallet.js";

const $ = (id) => document.getElementById(id);

const plural = (n, one, many = `${one}s`) => `${Number(n).toLocaleString("en")} ${Number(n) === 1 ? one : many}`;
const points = (n) => plural(n, "point");

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

// Contract refusals, as the relay or the wallet report them, in a member's words.
const REFUSALS = [
  [/VoucherUsed/, "This stamp link has already been used."],
  [/VoucherExpired/, "This stamp link has expired. Ask for a new one."],
  [/AlreadyHolds/, "You already have this stamp."],
  [/InvalidIssuer/, "This stamp link was not issued by Odyssey (or was changed). Ask for a new one."],
  [/OutsideWindow/, "This journey is not open for claims right now."],
  [/SoldOut/, "Sorry, all of these stamps have been given out."],
  [/GovernorAlreadyCastVote/, "You have already voted on this."],
  [/GovernorUnexpectedProposalState|ProposalState/, "This vote is not open right now."],
  [/BenefitAlreadyRedeemed/, "You have already redeemed this benefit."],
  [/BenefitLevelTooLow/, "Your level was not high enough when this benefit was set up."],
  [/BenefitNotMember/, "Benefits are for members: collect a stamp first."],
  [/IssuanceBudgetExceeded/, "Odyssey has given out all the points the community allows for now. Please try again later."],
  [/IdeaTooLong/, "That is too long: keep the title and link under 200 characters."],
  [/BenefitOutOfStock/, "This benefit has run out."],
  [/IdeaAlreadySupported/, "You already support this idea."],
  [/IdeaNotMember|NotEnoughPoints/, "Only members with points can do this: collect a stamp first."],
  [/AlreadyMember/, "You are already a member."],
  ...SHOP_REFUSALS,
  ...DROP_REFUSALS,
];

function friendly(error) {
  const text = error instanceof ApiError || error instanceof WalletProblem ? error.message : friendlyWalletError(error);
  if (error instanceof ApiError && error.status === 429) return "Too many requests just now. Please try again in a minute.";
  for (const [pattern, words] of REFUSALS) if (pattern.test(text)) return words;
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
    progress("Sending…");
    const relay = state.config.relayUrl;
    const { txHash } = prepared.request
      ? await api.post(relay, prepared.request)
      : prepared.call
        ? await api.post(`${relay}/call`, prepared.call)
        : await api.post(`${relay}/claim`, prepared.voucher);
    progress("Waiting for the network…");
    block = await waitForRelayed(relay, txHash);
  }
  progress("Updating your records…");
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
  const sync = $("sync");
  const indexed = health.indexed_block;
  if (!health.rpc_ok) {
    sync.textContent = "The network can't be reached right now. You are seeing the last records we have" +
      (indexed !== null ? ` (up to block ${indexed}).` : ".");
    sync.hidden = false;
  } else if (!health.ready) {
    sync.textContent = indexed === null
      ? "Getting ready: Odyssey is reading the network's records for the first time. Figures will appear shortly."
      : `Catching up: the figures shown are from block ${indexed}, the network is at block ${health.chain_head}. ` +
        "Your latest actions may take a moment to appear.";
    sync.hidden = false;
  } else {
    sync.hidden = true;
  }
  state.head = health.chain_head;
  $("block").textContent = indexed === null ? "" :
    `Records up to block ${indexed}` + (health.chain_head !== null ? ` · the network is at block ${health.chain_head}` : "") +
    " (the network keeps its records in numbered blocks, a new one every few seconds).";
  $("block").dataset.block = indexed ?? "";
}

// ---------------------------------------------------------------- wallet

function renderWallet() {
  const box = $("wallet");
  box.replaceChildren();
  if (state.account) {
    box.append(h("span", { class: "who", title: state.account }, short(state.account)));
  } else if (!window.ethereum) {
    box.append(h("span", {}, "No wallet found in this browser"));
  } else {
    box.append(h("button", { id: "connect", type: "button", class: "primary", onclick: connect }, "Connect your wallet"));
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
    progress("Check your wallet…");
    await state.wallet.connect();
    state.account = state.wallet.account;
    localStorage.setItem("odyssey.connected", "1");
    $("toast").hidden = true;
  });
  renderWallet();
  if (state.account) {
    $("intro-wallet").textContent = "You are connected. You never pay a fee: you confirm each action in your wallet, and Odyssey sends it for you.";
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
      h("p", {}, "You are not a member yet. Collect your first stamp from a link you received, or join now — it is free."),
      h("button", { type: "button", class: "primary", id: "join", onclick: join }, "Join Odyssey"),
    );
    return;
  }
  const floor = m.level_points;
  const next = m.next_level_points;
  const percent = next === null ? 100 : Math.max(0, Math.min(100, Math.round(((m.points - floor) / (next - floor)) * 100)));
  const progressText = next === null
    ? "You have reached the highest level."
    : `${points(next - m.points)} to level ${m.level + 1}`;
  body.replaceChildren(
    h("div", { class: "stats" },
      h("div", { class: "stat" }, h("span", { class: "value", id: "points" }, m.points.toLocaleString("en")), h("span", { class: "label" }, "points")),
      h("div", { class: "stat" }, h("span", { class: "value", id: "level" }, m.level), h("span", { class: "label" }, "level")),
      h("div", { class: "stat" }, h("span", { class: "value" }, m.stamps), h("span", { class: "label" }, m.stamps === 1 ? "stamp" : "stamps")),
      h("div", { class: "stat" }, h("span", { class: "value" }, `#${m.number}`), h("span", { class: "label" }, "member number")),
    ),
    h("div", {
      class: "progress", role: "progressbar", "aria-label": "Progress to the next level", "aria-valuemin": "0",
      "aria-valuemax": "100", "aria-valuenow": String(percent), "aria-valuetext": progressText,
    }, h("span", { style: `width:${percent}%` })),
    h("p", { id: "next-level" }, progressText),
  );
}

function renderGallery(holdings) {
  $("stamps").hidden = false;
  const gallery = $("gallery");
  if (!holdings.length) {
    gallery.replaceChildren(h("li", {}, "No stamps yet."));
    return;
  }
  gallery.replaceChildren(...holdings.map((s) => h("li", { "data-stamp": s.stamp_id },
    h("img", { src: `/images/${s.stamp_id}.svg`, alt: `${s.name} stamp`, loading: "lazy", width: "160", height: "160" }),
    h("span", { class: "name" }, s.name),
    h("span", { class: "stamp-points" }, points(s.points)),
    s.balance > 1 ? h("span", { class: "muted" }, ` × ${s.balance}`) : null,
  )));
}

async function join() {
  await act($("join"), async (progress) => {
    progress("Confirm in your wallet…");
    const prepared = await state.wallet.memberAction("OdysseyStamps", ABI.stamps, "join", [], { payGas: state.payGas });
    await deliver(prepared, progress);
    toast("Welcome to Odyssey! You are now a member.");
  });
  await loadMember();
  await loadProposals();
}

function benefitLabel(b) {
  if (b.uri.startsWith("data:")) {
    try {
      return decodeURIComponent(b.uri.slice(b.uri.indexOf(",") + 1));
    } catch { /* fall through */ }
  }
  return `Benefit ${b.id}`;
}

async function loadBenefits() {
  const section = $("benefits");
  // The API says, per benefit, what this member may redeem: levels count at the benefit's snapshot block.
  const list = await api.get(state.account ? `/benefits?member=${state.account}` : "/benefits");
  const benefits = list.data.filter((b) => b.active);
  section.hidden = !state.account;
  if (!benefits.length) {
    $("benefits-body").replaceChildren(h("p", { class: "muted" }, "No benefits are on offer right now."));
    return;
  }
  const items = benefits.map((b) => {
    const out = b.stock === 0;
    const levelThen = b.member_level_at_snapshot ?? 0;
    const button = b.redeemed_by_member
      ? h("span", { class: "badge active" }, "Redeemed")
      : h("button", {
        type: "button", disabled: !b.redeemable_by_member,
        onclick: (e) => redeem(e.currentTarget, b),
      }, "Redeem");
    return h("li", { class: "item" },
      h("h3", {}, benefitLabel(b)),
      h("p", {}, b.min_level ? `From level ${b.min_level}` : "For every member",
        b.stock === null ? "" : out ? " · none left" : ` · ${b.stock} left`,
        levelThen < b.min_level ? ` · you were level ${levelThen} when it was set up` : ""),
      /^https?:/.test(b.uri) ? h("p", {}, h("a", { href: b.uri, target: "_blank", rel: "noopener" }, "What you get")) : null,
      button,
    );
  });
  $("benefits-body").replaceChildren(h("ul", { class: "list" }, items));
}

async function redeem(button, benefit) {
  await act(button, async (progress) => {
    progress("Confirm in your wallet…");
    const prepared = await state.wallet.memberAction("OdysseyBenefits", ABI.benefits, "redeem", [BigInt(benefit.id)], { payGas: state.payGas });
    await deliver(prepared, progress);
    toast(`Redeemed: ${benefitLabel(benefit)}.`);
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
  const name = stamp ? stamp.data.name : `Stamp ${voucher.stampId}`;
  const parts = [
    h("div", { class: "stamp" },
      stamp ? h("img", { src: `/images/${voucher.stampId}.svg`, alt: `${name} stamp`, width: "128", height: "128" }) : null,
      h("div", {},
        h("p", {}, h("strong", {}, name), stamp ? ` · ${points(stamp.data.points)}` : ""),
        h("p", { class: "muted" }, `For ${short(voucher.member)} · collect it before ${new Date(Number(voucher.deadline) * 1000).toLocaleString("en", { dateStyle: "medium", timeStyle: "short" })}`),
      ),
    ),
  ];
  const holder = await api.get(`/members/${voucher.member}`, { allow404: true });
  const already = holder && holder.data.holdings.some((s) => s.stamp_id === String(voucher.stampId));
  if (already) {
    parts.push(h("p", { id: "claim-done" }, "Collected: this stamp is in the collection of the member it was meant for."));
    body.replaceChildren(...parts);
    return;
  }
  if (Number(voucher.deadline) * 1000 < Date.now()) {
    parts.push(h("p", {}, "This link has expired. Ask for a new one."));
    body.replaceChildren(...parts);
    return;
  }
  if (!state.account) {
    parts.push(h("p", {}, "Connect your wallet to collect it."));
  } else if (state.account.toLowerCase() !== voucher.member.toLowerCase()) {
    // Someone else's stamp: say whose, and offer to switch accounts rather than collect it for them.
    parts.push(
      h("p", { class: "sync", id: "claim-other" }, `This stamp is for ${voucher.member}. You are connected as ` +
        `${short(state.account)}: switch to that account in your wallet to collect it.`),
      h("button", { type: "button", class: "primary", id: "switch-account", onclick: switchAccount }, "Switch account"),
    );
    body.replaceChildren(...parts);
    return;
  }
  parts.push(h("button", { type: "button", class: "primary", id: "claim-button", onclick: claim }, "Collect this stamp"));
  if (state.payGas && state.account) parts.push(h("p", { class: "muted" }, "You chose to pay the network fee yourself."));
  body.replaceChildren(...parts);
}

// Ask the wallet to choose an account (EIP-2255); the page follows the wallet's accountsChanged. Wallets without
// account permissions are switched in the wallet app itself.
async function switchAccount() {
  try {
    await window.ethereum.request({ method: "wallet_requestPermissions", params: [{ eth_accounts: {} }] });
  } catch (error) {
    if (error?.code === 4001) return;
    toast("Open your wallet app, choose the account this stamp is for, and this page follows.");
  }
}

async function claim() {
  const voucher = state.voucher;
  let ok = false;
  await act($("claim-button"), async (progress) => {
    let prepared;
    if (state.payGas && state.account) {
      progress("Confirm in your wallet…");
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
  toast(stamp ? `Stamp collected: ${stamp.data.name}, +${points(stamp.data.points)}.` : "Stamp collected.");
  $("claim").hidden = true;
  state.voucher = null;
  await loadMember();
  await loadIdeas();
}

// ---------------------------------------------------------------- proposals

const STATE_WORDS = {
  pending: "Opens soon", active: "Voting open", canceled: "Withdrawn", defeated: "Not passed", succeeded: "Passed",
  queued: "Passed · taking effect soon", expired: "Passed · expired before taking effect", executed: "Passed · done",
};
const SIMPLE_ORDER = [1, 0, 2]; // For, Against, Abstain

async function loadProposals() {
  const [list, mine] = await Promise.all([
    api.get(state.account ? `/proposals?limit=50&member=${state.account}` : "/proposals?limit=50"),
    state.account ? api.get(`/members/${state.account}/votes?limit=200`, { allow404: true }) : null,
  ]);
  const myVotes = new Map((mine?.data || []).map((v) => [v.proposal_id, v]));
  const body = $("proposals-body");
  if (!list.data.length) {
    body.replaceChildren(h("p", { class: "muted" }, "No votes yet. When members propose something, it appears here."));
    return;
  }
  const items = list.data.map((p) => renderProposal(p, myVotes.get(p.id)));
  body.replaceChildren(h("ul", { class: "list" }, items));
  await refreshSync();
}

function blocksFromNow(block) {
  const head = state.head ?? api.block;
  if (head === null || head === undefined || block <= head) return "";
  return `, ${plural(block - head, "block")} from now`;
}

function renderProposal(p, myVote) {
  const total = p.tallies.reduce((sum, t) => sum + t.weight, 0);
  const order = p.kind === "simple" ? SIMPLE_ORDER : p.options.map((_, i) => i);
  const tallies = order.map((option) => {
    const t = p.tallies.find((x) => x.option === option) || { weight: 0, voters: 0 };
    const label = p.options[option] ?? `Option ${option + 1}`;
    const share = total ? Math.round((t.weight / total) * 100) : 0;
    return h("div", { class: "tally", "data-option": label },
      h("span", {}, label),
      h("span", { class: "bar", role: "img", "aria-label": `${label}: ${share}% of the votes` }, h("span", { style: `width:${share}%` })),
      h("span", { class: "n" }, points(t.weight)),
    );
  });
  const counted = p.kind === "simple"
    ? (p.tallies.find((t) => t.option === 1)?.weight || 0) + (p.tallies.find((t) => t.option === 2)?.weight || 0)
    : total;
  const facts = [
    `${plural(p.voters, "member")} voted`,
    p.quorum ? `${counted >= p.quorum ? "enough" : "not yet enough"} votes to count (${points(p.quorum)} needed)` : null,
    p.state === "active" ? `closes after block ${p.deadline}${blocksFromNow(p.deadline)}` : null,
    p.state === "pending" ? `opens after block ${p.snapshot}${blocksFromNow(p.snapshot)}` : null,
  ].filter(Boolean).join(" · ");

  const parts = [
    h("h3", {}, p.title || "Untitled proposal", h("span", { class: `badge ${p.state}` }, STATE_WORDS[p.state] || p.state)),
    h("div", { class: "tallies" }, tallies),
    h("p", { class: "muted" }, facts),
  ];
  const description = p.description.split("\n").slice(1).join("\n").trim();
  if (description) parts.push(h("details", {}, h("summary", {}, "Read the details"), h("p", { class: "desc" }, description)));
  if (myVote) {
    parts.push(h("p", { class: "my-vote" }, `You voted: ${myVote.option ?? myVote.support}` + (myVote.weight ? ` (${points(myVote.weight)})` : "")));
  } else if (p.state === "active" && state.account) {
    parts.push(voteControls(p, order));
  } else if (p.state === "active") {
    parts.push(h("p", { class: "muted" }, window.ethereum
      ? "Connect your wallet to vote."
      : "To vote, open this page in a browser with a wallet app."));
  }
  return h("li", { class: "item proposal", "data-proposal": p.id }, parts);
}

function voteControls(p, order) {
  const weight = p.member_votes; // the votes the member had at the vote's snapshot
  const box = h("div", { class: "vote" });
  if (weight === 0) {
    box.append(h("p", {}, "You had no points when this vote opened, so you can't take part in this one. " +
      "Collect stamps to vote on the next."));
    return box;
  }
  if (weight !== null) box.append(h("p", {}, `Your vote counts ${points(weight)}.`));
  const reasonId = `reason-${p.id.slice(0, 12)}`;
  const reason = h("input", { id: reasonId, maxlength: "280", autocomplete: "off" });
  box.append(h("label", { for: reasonId, class: "reason" }, "Why? (optional, shown with your vote)", reason));
  const buttons = order.map((option) => {
    const label = p.options[option] ?? `Option ${option + 1}`;
    return h("button", {
      type: "button", class: "primary", "data-vote": label,
      onclick: (e) => vote(e.currentTarget, p, option, label, reason.value.trim()),
    }, p.kind === "simple" ? `Vote ${label}` : label);
  });
  box.append(h("div", { class: "choices", role: "group", "aria-label": `Your vote on ${p.title}` }, buttons));
  return box;
}

async function vote(button, p, option, label, reason) {
  let ok = false;
  await act(button, async (progress) => {
    progress("Confirm in your wallet…");
    const prepared = await state.wallet.vote(BigInt(p.id), option, reason, { payGas: state.payGas });
    await deliver(prepared, progress);
    ok = true;
  });
  if (ok) {
    toast(`Thank you: your vote "${label}" is counted.`);
    await loadProposals();
  }
}

// ---------------------------------------------------------------- ideas

const STAGE_WORDS = {
  submitted: "New", open: "Gathering support", shortlisted: "Shortlisted", qualified: "Ready for a vote",
  proposed: "Up for a vote", realised: "Made real", rejected: "Not chosen", expired: "Expired",
};
const stageWords = (stage) => STAGE_WORDS[stage] || stage.charAt(0).toUpperCase() + stage.slice(1);

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
    body.replaceChildren(h("p", { class: "muted" }, "The ideas board opens soon."));
    return;
  }
  const list = await api.get(state.account ? `/ideas?limit=200&member=${state.account}` : "/ideas?limit=200");
  const stages = [...new Set(list.data.map((i) => i.stage))];
  const tabs = ["all", ...stages].map((stage) => h("button", {
    type: "button", "aria-pressed": String(state.ideaStage === stage),
    onclick: () => { state.ideaStage = stage; loadIdeas(); },
  }, stage === "all" ? `All (${list.data.length})` : `${stageWords(stage)} (${list.data.filter((i) => i.stage === stage).length})`));
  $("ideas-filter").replaceChildren(...tabs);
  const shown = list.data.filter((i) => state.ideaStage === "all" || i.stage === state.ideaStage);
  if (!shown.length) {
    body.replaceChildren(h("p", { class: "muted" }, list.data.length ? "No ideas at this stage." : "No ideas yet: be the first to suggest one."));
    return;
  }
  const items = shown.map((idea) => {
    const text = ideaText(idea.uri);
    let supportButton = null;
    if (state.account && state.member && idea.author.toLowerCase() !== state.account.toLowerCase()) {
      supportButton = idea.supported_by_member
        ? h("span", { class: "badge active" }, "You support this")
        : h("button", { type: "button", onclick: (e) => supportIdea(e.currentTarget, idea) }, "Support this idea");
    }
    return h("li", { class: "item idea", "data-idea": idea.id },
      h("h3", {}, idea.title, h("span", { class: "badge" }, stageWords(idea.stage))),
      text ? h("p", { class: "desc" }, text) : /^https?:/.test(idea.uri) ? h("p", {}, h("a", { href: idea.uri, target: "_blank", rel: "noopener" }, "Read more")) : null,
      h("p", { class: "muted" }, `By ${short(idea.author)} · ${plural(idea.supporters, "supporter")}`),
      supportButton,
    );
  });
  body.replaceChildren(h("ul", { class: "list" }, items));
}

async function supportIdea(button, idea) {
  await act(button, async (progress) => {
    progress("Confirm in your wallet…");
    const prepared = await state.wallet.memberAction("IdeaBoard", ABI.board, "support", [BigInt(idea.id)], { payGas: state.payGas });
    await deliver(prepared, progress);
    toast(`You now support "${idea.title}".`);
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
    progress("Confirm in your wallet…");
    const { uri, contentHash } = ideaContent(form.text.value.trim());
    const prepared = await state.wallet.memberAction("IdeaBoard", ABI.board, "submit", [title, uri, contentHash], { payGas: state.payGas });
    await deliver(prepared, progress);
    ok = true;
  });
  if (ok) {
    form.reset();
    toast(`Thank you: "${title}" is on the ideas board.`);
    await loadIdeas();
  }
}

// ---------------------------------------------------------------- shop and drops (shop.js, drops.js)

const views = { toast, hideToast: () => ($("toast").hidden = true), h, act, deliver, state, loadMember };
const shop = mountShop(views);
const drops = mountDrops(views);

// ---------------------------------------------------------------- start

async function start() {
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
    if (!state.config || !state.config.chainId) throw new Error(state.config?.detail || "no configuration");
  } catch (error) {
    toast(`Odyssey is not available right now (${error.message}). Please try again later.`, "error");
    return;
  }
  state.wallet = new Wallet(state.config);
  journeys = setUpJourneys({ state, toast, friendly, act, deliver, reloadMember: loadMember });
  renderWallet();
  if (!window.ethereum) {
    document.querySelector(".paygas").hidden = true;
    $("intro-wallet").textContent = "To collect stamps and vote, open this page in a browser with a wallet app (for example MetaMask).";
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
