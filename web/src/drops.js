// Fair drops (docs/drops.md): when more members want an edition than there are, every eligible member enters once
// and a public draw picks the winners. The API (/drops?member=) says where each drop stands, whether the member may
// enter (or why not), their result and what they can do next; its times are estimated from the chain's recent block
// times, and the countdowns here tick in seconds from them. A free entry and a draw are signed and relayed; a claim
// and a refund name the member and are relayed as they are; a paid entry carries ether, so it is the member's own
// transaction, its price and fee shown before they confirm.
import { api } from "./api.js";
import { relative, t } from "./i18n.js";
import { confirmPaying, eth } from "./shop.js";
import { ABI } from "./wallet.js";

const REFRESH_MS = 5000; // how often the drops are read again while the member is not in the middle of something

// Every word this module shows (drops.* in the catalogs, locales/).
export const TEXT = {
  empty: t("drops.empty"),
  state: (state) => t("drops.state", { state }),
  facts: (supply, price, entries) => t(price === "0" ? "drops.factsFree" : "drops.factsPaid", { supply, price: eth(price), entries }),
  countdown: (state, until) => (until - Date.now() / 1000 < 1 ? t("drops.anyMoment", { state })
    : t("drops.countdown", { state, when: relative(until) })),
  eligible: t("drops.eligible"),
  reasons: {
    level_too_low: (d, m) => t("drops.levelTooLow", { level: d.min_level, points: m.points_at_snapshot }),
    required_stamp_missing: (d) => t("drops.stampMissing", { name: d.required_stamp_name || t("stamps.fallbackName", { id: d.required_stamp }) }),
    not_measured_yet: () => t("drops.notMeasuredYet"),
  },
  entered: (position) => t("drops.entered", { position }),
  won: t("drops.won"),
  lost: t("drops.lost"),
  claimed: t("drops.claimed"),
  refunded: t("drops.refunded"),
  seed: (d) => t("drops.seed", { block: d.seed_block, seed: `${d.seed.slice(0, 10)}…`, winners: d.winner_count, entries: d.entries }),
  connect: t("drops.connect"),
  action: (action) => t("drops.action", { action }),
  confirmInWallet: t("progress.confirm"),
  done: (action, d) => t("drops.done", { action, name: d.stamp_name, paid: action === "refund" ? eth(d.member.paid) : "" }),
  checking: t("pay.checking"),
  quote: (price, fee) => t("drops.quote", { price, fee }),
  confirm: t("drops.confirm"),
  cancel: t("pay.cancel"),
};
// What a member can do next about a drop (the API's `next`), each a button.
const ACTIONS = new Set(["enter", "draw", "move_seed_block", "claim", "refund"]);

// Contract refusals of a drop's calls (refusal.<key> messages, main.js shows them).
export const REFUSALS = [
  [/DropAlreadyEntered/, "dropEntered"],
  [/DropOutsideEntryWindow/, "dropNotTakingEntries"],
  [/DropLevelTooLow/, "dropLevelTooLow"],
  [/DropRequiredStampMissing/, "dropStampMissing"],
  [/DropSeedBlockNotReached/, "dropTooEarly"],
  [/DropAlreadyDrawn/, "dropDrawn"],
  [/DropNotWinner/, "dropNotWinner"],
  [/DropAlreadyClaimed/, "dropClaimed"],
  [/DropAlreadyRefunded/, "dropRefunded"],
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
      el.textContent = TEXT.countdown(el.dataset.state, Number(el.dataset.until));
    });
  }

  function render(d) {
    const m = d.member;
    const until = { upcoming: d.opens_at_time, open: d.closes_at_time, closed: d.drawable_at_time, seed_expired: d.drawable_at_time }[d.state];
    const lines = [h("p", {}, TEXT.facts(d.supply, d.price, d.entries))];
    if (until) lines.push(h("p", { class: "countdown", "data-until": String(until), "data-state": d.state }));
    if (d.seed) lines.push(h("p", { class: "muted seed" }, TEXT.seed(d)));
    if (!state.account) lines.push(h("p", { class: "muted" }, TEXT.connect));
    else if (m) lines.push(...standing(d, m));
    return h("li", { class: "item drop", "data-drop": d.id, "data-state": d.state },
      h("h3", {}, h("span", { "data-content": "" }, d.name || d.stamp_name), h("span", { class: "badge" }, TEXT.state(d.state))),
      d.description ? h("p", { "data-content": "" }, d.description) : null, lines);
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
    if (ACTIONS.has(m.next)) {
      out.push(h("button", { type: "button", class: "primary", "data-action": m.next, onclick: (e) => act(e.currentTarget, d, m.next) },
        TEXT.action(m.next)));
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
    page.toast(TEXT.done(action, d));
    await load();
    if (action === "claim" || action === "refund") await page.loadMember();
  }

  return { load };
}
