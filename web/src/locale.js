// Which of Odyssey's locales a list of preferences (most wanted first, as navigator.languages gives them) picks: the
// rule of backend/i18n.py, case for case (tests/support/locale_cases.json holds both to it). No DOM here, so node
// runs it in the tests.
export const LOCALES = ["en", "zh-Hans", "zh-Hant"];
const TRADITIONAL_REGIONS = new Set(["TW", "HK", "MO"]);

// One BCP 47 tag (`zh-TW`, `zh-Hant`) or POSIX locale (`zh_CN.UTF-8`) → one of LOCALES, or null.
export function match(tag) {
  const parts = String(tag).split(".", 1)[0].split("@", 1)[0].replace(/_/g, "-").trim().split("-").filter(Boolean);
  if (!parts.length) return null;
  const language = parts[0].toLowerCase();
  if (language === "en") return "en";
  if (language !== "zh") return null;
  const subtags = parts.slice(1).map((p) => p.toLowerCase());
  if (subtags.includes("hant")) return "zh-Hant";
  if (subtags.includes("hans")) return "zh-Hans";
  return subtags.some((p) => TRADITIONAL_REGIONS.has(p.toUpperCase())) ? "zh-Hant" : "zh-Hans";
}

// The first preference one of LOCALES serves; English when none does.
export function negotiate(preferences) {
  for (const tag of preferences || []) {
    const locale = match(tag);
    if (locale) return locale;
  }
  return "en";
}
