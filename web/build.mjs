// Build the member page: web/src/main.js (with viem) bundled by esbuild, plus index.html and the stylesheets, and the
// staff kiosk page (kiosk.html, src/kiosk.js),
// into build/web/, which the API serves at `/` (backend/web); and Swagger UI's files for the API's /docs into
// build/web/swagger/ (backend/api/docs.py). No CDN at run time: everything is served by the API.
//
//     npm run build:web
import { build } from "esbuild";
import { copyFile, mkdir, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", "build", "web");

await rm(out, { recursive: true, force: true });
await mkdir(out, { recursive: true });
const bundle = (entry, outfile) => build({
  entryPoints: [join(here, "src", entry)],
  bundle: true,
  minify: true,
  sourcemap: false,
  format: "esm",
  target: ["es2020"],
  outfile: join(out, outfile),
  legalComments: "linked",
  logLevel: "warning",
});
await bundle("main.js", "app.js");
await bundle("kiosk.js", "kiosk.js");
for (const name of ["index.html", "style.css", "journeys.css", "kiosk.html", "kiosk.css"]) {
  await copyFile(join(here, name), join(out, name));
}
const swagger = join(here, "..", "node_modules", "swagger-ui-dist");
await mkdir(join(out, "swagger"));
for (const name of ["swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png", "LICENSE"]) {
  await copyFile(join(swagger, name), join(out, "swagger", name));
}
console.log(`member page built into ${out}`);
