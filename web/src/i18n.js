// The page's words and formats in the member's language: English, Simplified Chinese (zh-Hans) or Traditional Chinese
// (zh-Hant). The choice: the language the member picked in the switcher (kept in localStorage), else the first of
// the browser's languages that Odyssey speaks (locale.js, the rule backend/i18n.py follows), else English.
// Messages are ICU MessageFormat strings in locales/<locale>.json, formatted by FormatJS' intl-messageformat; dates,
// numbers and relative times by the browser's Intl. Every catalog has the same keys and arguments (tests/web).
import { IntlMessageFormat } from "intl-messageformat";

import { LOCALES, negotiate } from "./locale.js";
import en from "./locales/en.json";
import zhHans from "./locales/zh-Hans.json";
import zhHant from "./locales/zh-Hant.json";

const CATALOGS = { en, "zh-Hans": zhHans, "zh-Hant": zhHant };
const CHOSEN = "odyssey.lang";

function chosen() {
  const stored = localStorage.getItem(CHOSEN);
  if (LOCALES.includes(stored)) return stored;
  return negotiate(navigator.languages?.length ? navigator.languages : [navigator.language]);
}

export const locale = chosen();
const formats = new Map();

// The message `key` of the member's catalog, its ICU arguments filled from `values`.
export function t(key, values) {
  let format = formats.get(key);
  if (!format) {
    const message = CATALOGS[locale][key];
    if (message === undefined) throw new Error(`no message "${key}" in the ${locale} catalog`);
    format = new IntlMessageFormat(message, locale);
    formats.set(key, format);
  }
  return format.format(values);
}

const numbers = new Intl.NumberFormat(locale);
const days = new Intl.DateTimeFormat(locale, { dateStyle: "medium" });
const moments = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" });
const relatives = new Intl.RelativeTimeFormat(locale, { numeric: "auto" });
const lists = new Intl.ListFormat(locale, { type: "conjunction" });

export const number = (n) => numbers.format(n);
export const day = (unix) => days.format(new Date(unix * 1000));
export const moment = (unix) => moments.format(new Date(unix * 1000));
export const list = (items) => lists.format(items);

// "in 2 minutes", "3 hours ago", "tomorrow" from a unix time: the largest unit that fits, rounded; "just now" for the
// last few seconds.
export function relative(unix) {
  const seconds = unix - Date.now() / 1000;
  if (seconds <= 0 && seconds > -10) return t("time.justNow");
  const size = Math.abs(seconds);
  const [value, unit] = size < 60 ? [seconds, "second"] : size < 3600 ? [seconds / 60, "minute"]
    : size < 86400 ? [seconds / 3600, "hour"] : [seconds / 86400, "day"];
  return relatives.format(Math.round(value), unit);
}

// The switcher's choices, each in its own language (the same in every catalog, so not in them).
const OWN_NAMES = { en: "English", "zh-Hans": "简体中文", "zh-Hant": "繁體中文" };

// Set <html lang> and the title, fill every element marked data-i18n (text) or data-i18n-<attribute>, and mount the
// language switcher in `switcher` (if given): a choice is remembered and the page starts again in it.
export function translatePage(switcher) {
  document.documentElement.lang = locale;
  for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of document.querySelectorAll("*")) {
    for (const name of Object.keys(el.dataset)) {
      if (!name.startsWith("i18n") || name === "i18n") continue;
      const attribute = name.slice(4).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`).slice(1); // i18nAriaLabel → aria-label
      el.setAttribute(attribute, t(el.dataset[name]));
    }
  }
  if (!switcher) return;
  const select = document.createElement("select");
  select.id = "language";
  select.setAttribute("aria-label", t("language.choose"));
  for (const code of LOCALES) {
    const option = new Option(OWN_NAMES[code], code, false, code === locale);
    option.lang = code;
    select.append(option);
  }
  select.addEventListener("change", () => {
    localStorage.setItem(CHOSEN, select.value);
    location.reload();
  });
  switcher.replaceChildren(select);
}

// A URL the browser fetches by itself (an image) in the member's language; the page's own reads send it in a header
// (api.js).
export const withLang = (path) => `${path}${path.includes("?") ? "&" : "?"}lang=${encodeURIComponent(locale)}`;
