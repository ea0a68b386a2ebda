// The shop: limited editions a member buys with their own wallet (OdysseyShop.purchase). Ether changes hands, so a
// purchase is the member's own transaction, never the relay's: the page shows the price and the network fee before
// the member confirms. What is listed, what is left and what the member may still buy come from the API (/shop).
import { formatEther } from "viem";
import { api } from "./api.js";
import { t } from "./i18n.js";
import { ABI } from "./wallet.js";

// Every word this module shows (shop.* in the catalogs, locales/).
export const TEXT = {
  empty: t("shop.empty"),
  points: (n) => t("points", { n }),
  price: (price) => t("shop.price", { price }),
  left: (n, of) => t("shop.left", { n, of }),
  openEdition: t("shop.openEdition"),
  perWallet: (n) => t("shop.perWallet", { n }),
  soldOut: t("shop.soldOut"),
  notOnSale: t("shop.notOnSale"),
  youBought: (n) => t("shop.youBought", { n }),
  capReached: t("shop.capReached"),
  connect: t("shop.connect"),
  quantity: t("shop.quantity"),
  buy: t("shop.buy"),
  checking: t("pay.checking"),
  quote: (price, fee) => t("shop.quote", { price, fee }),
  confirm: t("shop.confirm"),
  cancel: t("pay.cancel"),
  confirmInWallet: t("progress.confirm"),
  done: (quantity, name) => t("shop.done", { quantity, name }),
};

// Contract and wallet refusals of a purchase (refusal.<key> messages, main.js shows them).
export const REFUSALS = [
  [/ShopWalletCapExceeded/, "shopWalletCap"],
  [/ShopWrongPayment/, "shopPriceChanged"],
  [/ShopNotForSale/, "shopNotForSale"],
  [/insufficient funds|exceeds the balance/i, "notEnoughEth"],
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
      TEXT.points(item.points), TEXT.price(eth(item.price)),
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
      h("h3", { "data-content": "" }, item.name), h("p", {}, facts.join(t("separator"))), action);
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
      page.toast(TEXT.done(Number(quantity), item.name));
      await Promise.all([load(), page.loadMember()]);
    });
  }

  return { load };
}
