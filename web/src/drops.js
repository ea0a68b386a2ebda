// Fair drops (docs/drops.md): when more members want an edition than there are, every eligible member enters once
// and a public draw picks the winners. The API (/drops?member=) says where each drop stands, whether the member may
// enter (or why not), their result and what they can do next; its times are estimated from the chain's recent block
// times, and the countdowns here tick in seconds from them. A free entry and a draw are signed and relayed; a claim
// and a refund name the member and are relayed as they are; a paid entry carries ether, so it is the member's own
// transaction, its price and fee shown before they confirm.
import { api } from "./api.js";
import { confirmPaying, eth } from "./shop.js";
import { ABI } from "./wallet.js";

const REFRESH_MS = 5000; // how often the drops are read again while the member is not in the middle of something

// Every word this module shows.
export const TEXT = {
  empty: "No drops right now.",
  states: {
    upcoming: "Opens soon", open: "Open for entries", closed: "Entries closed", drawable: "Ready to draw",
    seed_expired: "Waiting for a new draw block", drawn: "Drawn",
  },
  facts: (supply, price, entries) =>
    `${supply} to win · ${price === "0" ? "free to enter" : `${eth(price)} ETH to enter, back in full if you don't win`} · ${entries} entered`,
  countdown: {
    upcoming: "Entries open", open: "Entries close", closed: "The draw can happen", seed_expired: "The draw can happen",
  },
  in: (seconds) => {
    if (seconds < 1) return "any moment now";
    const h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60), s = Math.floor(seconds % 60);
    return "in " + (h ? `${h} h ${m} min` : m ? `${m} min ${s} s` : `${s} s`);
  },
  eligible: "You may enter: one entry each, every entry the same chance.",
  reasons: {
    level_too_low: (d, m) => `This drop is for members at level ${d.min_level} or above when entries opened (you had ${m.points_at_snapshot} points then).`,
    required_stamp_missing: (d) => `This drop is for holders of the ${d.required_stamp_name || `stamp ${d.required_stamp}`} stamp.`,
    not_measured_yet: () => "Who may enter is settled when entries open, on the points members hold then.",
  },
  entered: (position) => `You entered (entry #${position}).`,
  won: "You won!",
  lost: "Not this time.",
  claimed: "Claimed: the stamp is in your collection.",
  refunded: "Your deposit was returned.",
  seed: (d) => `Drawn from the hash of block ${d.seed_block}: seed ${d.seed.slice(0, 10)}…, ${d.winner_count} of ${d.entries} entries won. Anyone can check it.`,
  connect: "Connect your wallet to enter.",
  actions: {
    enter: "Enter the draw", draw: "Draw now", move_seed_block: "Set a new draw block", claim: "Claim your stamp",
    refund: "Get your deposit back",
  },
  confirmInWallet: "Confirm in your wallet…",
  done: {
    enter: (d) => `You are in the draw for ${d.stamp_name}. Good luck!`,
    draw: () => "The draw is done.",
    move_seed_block: () => "A new draw block is set.",
    claim: (d) => `${d.stamp_name} is yours.`,
    refund: (d) => `Your ${eth(d.member.paid)} ETH is back in your wallet.`,
  },
  checking: "Checking the price and fee…",
  quote: (price, fee) => `You deposit ${price} ETH (returned in full if you don't win), plus a network fee of about ${fee} ETH, from your wallet.`,
  confirm: "Confirm entry",
  cancel: "Cancel",
};

// Contract refusals of a drop's calls, in a member's words (main.js shows them).
export const REFUSALS = [
  [/DropAlreadyEntered/, "You have already entered this drop."],
  [/DropOutsideEntryWindow/, "This drop is not taking entries right now."],
  [/DropLevelTooLow/, "Your level when entries opened is too low for this drop."],
  [/DropRequiredStampMissing/, "This drop is for holders of a particular stamp."],
  [/DropSeedBlockNotReached/, "It is too early to draw: wait for the countdown."],
  [/DropAlreadyDrawn/, "This drop has been drawn already."],
  [/DropNotWinner/, "This entry did not win."],
  [/DropAlreadyClaimed/, "You have claimed this already."],
  [/DropAlreadyRefunded/, "Your deposit was returned already."],
];

export function mountDrops(page) {
  const { h, state } = page;
  let timer = null;
  let loadedAt = 0;

  async function load() {
    const list = await api.get(state.account ? `/drops?member=${state.account}` : "/drops");
    const body = document.getElementById("drops-body");
    if (!list?.data?.length) {
      body.replaceChildren(h("p", { class: "muted" }, TEXT.empty));
      return;
    }
    body.replaceChildren(h("ul", { class: "list" }, list.data.map(render)));
    loadedAt = Date.now();
    tick();
    timer ??= setInterval(() => {
      tick();
      if (Date.now() - loadedAt > REFRESH_MS && !state.busy && !body.querySelector(".confirm")) {
        loadedAt = Date.now();
        load().catch(() => {});
      }
    }, 1000);
  }

  // The countdowns, from the API's estimated times (unix seconds) and the browser's clock.
  function tick() {
    document.querySelectorAll("#drops-body [data-until]").forEach((el) => {
      el.textContent = `${el.dataset.label} ${TEXT.in(Number(el.dataset.until) - Date.now() / 1000)}`;
    });
  }

  function render(d) {
    const m = d.member;
    const until = { upcoming: d.opens_at_time, open: d.closes_at_time, closed: d.drawable_at_time, seed_expired: d.drawable_at_time }[d.state];
    const lines = [h("p", {}, TEXT.facts(d.supply, d.price, d.entries))];
    if (until) lines.push(h("p", { class: "countdown", "data-until": String(until), "data-label": TEXT.countdown[d.state] }));
    if (d.seed) lines.push(h("p", { class: "muted seed" }, TEXT.seed(d)));
    if (!state.account) lines.push(h("p", { class: "muted" }, TEXT.connect));
    else if (m) lines.push(...standing(d, m));
    return h("li", { class: "item drop", "data-drop": d.id, "data-state": d.state },
      h("h3", {}, d.stamp_name, h("span", { class: "badge" }, TEXT.states[d.state])), lines);
  }

  function standing(d, m) {
    const out = [];
    if (m.entered) {
      out.push(h("p", { class: "entry" }, TEXT.entered(m.position)));
      if (m.result) out.push(h("p", { class: "result", "data-result": m.result }, m.result === "won" ? TEXT.won : TEXT.lost));
      if (m.status === "claimed" || m.status === "refunded") out.push(h("p", { class: "settled" }, TEXT[m.status]));
    } else if (m.reason) {
      out.push(h("p", { class: "why-not" }, TEXT.reasons[m.reason](d, m)));
    } else if (m.eligible && d.state === "open") {
      out.push(h("p", {}, TEXT.eligible));
    }
    if (m.next && TEXT.actions[m.next]) {
      out.push(h("button", { type: "button", class: "primary", "data-action": m.next, onclick: (e) => act(e.currentTarget, d, m.next) },
        TEXT.actions[m.next]));
    }
    return out;
  }

  async function act(button, d, action) {
    const id = BigInt(d.id);
    if (action === "enter" && d.price !== "0") {
      const call = state.wallet.paying("OdysseyDrops", ABI.drops, "enter", [id], BigInt(d.price));
      confirmPaying(page, button.closest("li"), TEXT, call.quote, (confirm) => run(confirm, d, action, call.send));
      return;
    }
    const payGas = state.payGas;
    const prepare = action === "claim" || action === "refund"
      ? () => state.wallet.direct("OdysseyDrops", ABI.drops, action, [id, state.account], { payGas })
      : () => state.wallet.memberAction("OdysseyDrops", ABI.drops, action === "move_seed_block" ? "moveSeedBlock" : action, [id], { payGas });
    await run(button, d, action, prepare);
  }

  async function run(button, d, action, prepare) {
    let ok = false;
    await page.act(button, async (progress) => {
      if (action !== "claim" && action !== "refund") progress(TEXT.confirmInWallet);
      await page.deliver(await prepare(), progress);
      ok = true;
    });
    if (!ok) return;
    page.toast(TEXT.done[action](d));
    await load();
    if (action === "claim" || action === "refund") await page.loadMember();
  }

  return { load };
}
