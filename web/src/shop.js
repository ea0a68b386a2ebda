// The shop: limited editions a member buys with their own wallet (OdysseyShop.purchase). Ether changes hands, so a
// purchase is the member's own transaction, never the relay's: the page shows the price and the network fee before
// the member confirms. What is listed, what is left and what the member may still buy come from the API (/shop).
import { formatEther } from "viem";
import { api } from "./api.js";
import { ABI } from "./wallet.js";

// Every word this module shows.
export const TEXT = {
  empty: "Nothing is for sale right now.",
  points: (n) => `${n} points`,
  left: (n, of) => `${n} of ${of} left`,
  openEdition: "Open edition",
  perWallet: (n) => `at most ${n} per wallet`,
  soldOut: "Sold out",
  notOnSale: "Not on sale right now",
  youBought: (n) => `You bought ${n}`,
  capReached: "You have bought as many as one wallet may.",
  connect: "Connect your wallet to buy.",
  quantity: "How many",
  buy: "Buy",
  checking: "Checking the price and fee…",
  quote: (price, fee) => `You pay ${price} ETH, plus a network fee of about ${fee} ETH, from your wallet.`,
  confirm: "Confirm purchase",
  cancel: "Cancel",
  confirmInWallet: "Confirm in your wallet…",
  done: (quantity, name) => `Bought: ${quantity} × ${name}. It is in your collection.`,
};

// Contract and wallet refusals of a purchase, in a member's words (main.js shows them).
export const REFUSALS = [
  [/ShopWalletCapExceeded/, "That is more than one wallet may buy of this edition."],
  [/ShopWrongPayment/, "The price has just changed. Reload the page to see the new one."],
  [/ShopNotForSale/, "This edition is not for sale any more."],
  [/insufficient funds|exceeds the balance/i, "Your wallet does not hold enough ETH for this."],
];

export const eth = (wei) => formatEther(BigInt(wei));

// A price-and-fee confirmation under `anchor`: `quote()` gives {value, fee} (wei), `onConfirm(button)` acts.
// Shared with the drops' paid entries.
export function confirmPaying(page, anchor, words, quote, onConfirm) {
  const { h } = page;
  anchor.querySelector(".confirm")?.remove();
  const box = h("div", { class: "confirm", role: "group" });
  anchor.append(box);
  page.act(null, async (progress) => {
    progress(words.checking);
    const { value, fee } = await quote();
    page.hideToast();
    box.replaceChildren(
      h("p", { class: "quote" }, words.quote(eth(value), eth(fee))),
      h("button", { type: "button", class: "primary confirm-button", onclick: (e) => onConfirm(e.currentTarget) }, words.confirm),
      h("button", { type: "button", class: "cancel-button", onclick: () => box.remove() }, words.cancel),
    );
  }).then(() => box.childElementCount || box.remove());
}

export function mountShop(page) {
  const { h, state } = page;

  async function load() {
    const list = await api.get(state.account ? `/shop?member=${state.account}` : "/shop");
    const body = document.getElementById("shop-body");
    if (!list?.data?.length) {
      body.replaceChildren(h("p", { class: "muted" }, TEXT.empty));
      return;
    }
    body.replaceChildren(h("ul", { class: "list" }, list.data.map(render)));
  }

  function render(item) {
    const mine = item.member;
    const facts = [
      TEXT.points(item.points), `${eth(item.price)} ETH`,
      item.left === null ? TEXT.openEdition : TEXT.left(item.left, item.max_supply),
      item.wallet_cap ? TEXT.perWallet(item.wallet_cap) : null,
      mine?.bought ? TEXT.youBought(mine.bought) : null,
    ].filter(Boolean);
    let action;
    if (!item.on_sale) action = h("p", { class: "muted" }, item.left === 0 ? TEXT.soldOut : TEXT.notOnSale);
    else if (!state.account) action = h("p", { class: "muted" }, TEXT.connect);
    else if (mine?.may_buy === 0) action = h("p", { class: "muted" }, TEXT.capReached);
    else {
      const max = mine?.may_buy ?? 100;
      const quantity = h("input", { type: "number", min: "1", max: String(max), value: "1", class: "quantity", "aria-label": TEXT.quantity });
      action = h("div", { class: "choices" }, quantity,
        h("button", { type: "button", class: "buy", onclick: (e) => buy(e.currentTarget.closest("li"), item, quantity) }, TEXT.buy));
    }
    return h("li", { class: "item", "data-shop-item": item.stamp_id },
      h("h3", {}, item.name), h("p", {}, facts.join(" · ")), action);
  }

  function buy(li, item, input) {
    const quantity = BigInt(Math.max(1, Math.floor(Number(input.value) || 1)));
    const call = state.wallet.paying("OdysseyShop", ABI.shop, "purchase", [BigInt(item.stamp_id), quantity], BigInt(item.price) * quantity);
    confirmPaying(page, li, TEXT, call.quote, async (button) => {
      let ok = false;
      await page.act(button, async (progress) => {
        progress(TEXT.confirmInWallet);
        await page.deliver(await call.send(), progress);
        ok = true;
      });
      if (!ok) return;
      page.toast(TEXT.done(quantity, item.name));
      await Promise.all([load(), page.loadMember()]);
    });
  }

  return { load };
}
