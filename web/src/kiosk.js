// The staff kiosk: shows a stamp's rotating code (RFC 6238, from the issuer service) in big digits and as a QR code
// of the member page's link with the code filled in, and how long it lasts. The kiosk holds only its token (in the
// link's #token=, which browsers never send to a server): no key, no seed; a revoked token stops it at once.
import { api } from "./api.js";
import { t, translatePage } from "./i18n.js";

// Every word the kiosk shows (kiosk.* in the catalogs, locales/), in the language of the kiosk's browser.
const TEXT = {
  how: t("kiosk.how"),
  stamp: (name, n) => t("kiosk.stamp", { name, n }),
  left: (s) => t("kiosk.left", { s }),
  noToken: t("kiosk.noToken"),
  offline: t("kiosk.offline"),
  invalid: t("kiosk.invalid"),
  kiosk: (name) => t("kiosk.name", { name }),
};
const RETRY_MS = 5000;
const $ = (id) => document.getElementById(id);
const token = new URLSearchParams(location.hash.slice(1)).get("token");
let shown = null;

function fail(text) {
  $("kiosk-error").textContent = text;
  $("kiosk-error").hidden = false;
}

async function refresh() {
  let view;
  try {
    view = await api.get("/issuer/kiosk", { headers: { Authorization: `Bearer ${token}` } });
  } catch (error) {
    fail(error.status === 401 ? TEXT.invalid : TEXT.offline);
    if (error.status !== 401) setTimeout(refresh, RETRY_MS);
    return;
  }
  if (!view || !view.code) {
    fail(TEXT.offline);
    setTimeout(refresh, RETRY_MS);
    return;
  }
  $("kiosk-error").hidden = true;
  shown = view;
  $("kiosk-journey").textContent = view.stamp.journey || "";
  $("kiosk-stamp").textContent = TEXT.stamp(view.stamp.name, view.stamp.points);
  $("kiosk-how").textContent = view.stamp.description || TEXT.how;
  $("kiosk-code").textContent = view.code;
  $("kiosk-code").dataset.code = view.code;
  $("kiosk-qr").innerHTML = view.qrSvg; // an SVG the issuer made with segno from the page's link
  $("kiosk-qr").setAttribute("aria-label", view.link);
  $("kiosk-name").textContent = TEXT.kiosk(view.kiosk.name);
  tick();
  setTimeout(refresh, Math.max(500, view.changesAt * 1000 - Date.now() + 300));
}

function tick() {
  if (!shown) return;
  const left = Math.max(0, Math.ceil(shown.changesAt - Date.now() / 1000));
  $("kiosk-left").textContent = TEXT.left(left);
  $("kiosk-bar").style.width = `${(left / shown.period) * 100}%`;
}

translatePage();
if (!token) fail(TEXT.noToken);
else {
  refresh();
  setInterval(tick, 1000);
}
