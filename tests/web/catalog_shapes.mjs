// Prints, as JSON, each web catalog's messages reduced to their ICU arguments (name:type, and a select's choices):
// {"<locale>": {"<key>": ["n:plural", "state:select[active|pending|...]", ...]}}. Parsed by FormatJS itself (the
// library the page formats with), so a message it cannot parse fails here. Used by tests/web/test_web_catalogs.py.
//
//     node tests/web/catalog_shapes.mjs web/src/locales/en.json web/src/locales/zh-Hans.json ...
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { IntlMessageFormat } from "intl-messageformat";

const TYPES = { 1: "argument", 2: "number", 3: "date", 4: "time", 5: "select", 6: "plural", 8: "tag" };

function argumentsOf(elements, out) {
  for (const el of elements) {
    if (!(el.type in TYPES)) continue;
    const choices = el.type === 5 ? `[${Object.keys(el.options).sort().join("|")}]` : "";
    out.add(`${el.value}:${TYPES[el.type]}${choices}`);
    for (const option of Object.values(el.options || {})) argumentsOf(option.value, out);
    if (el.children) argumentsOf(el.children, out);
  }
  return out;
}

const shapes = {};
for (const path of process.argv.slice(2)) {
  const locale = basename(path, ".json");
  const catalog = JSON.parse(readFileSync(path, "utf8"));
  shapes[locale] = {};
  for (const [key, message] of Object.entries(catalog)) {
    try {
      shapes[locale][key] = [...argumentsOf(new IntlMessageFormat(message, locale).getAst(), new Set())].sort();
    } catch (error) {
      shapes[locale][key] = [`unparsable: ${error.message}`];
    }
  }
}
console.log(JSON.stringify(shapes));
