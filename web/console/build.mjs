// build.mjs bundles the grappe console (src/) into dist/, which package
// grappe/web embeds and serves at /console/static/ (the Go build needs no npm).
//
// To refresh the committed bundle after changing src/ or a dependency:
//
//   cd web/console
//   npm ci              # exact versions from package-lock.json
//   npm run build       # writes dist/console.js, dist/console.css, dist/documents.json, dist/THIRD_PARTY_LICENSES.txt
//   git add package.json package-lock.json src dist
//
// To upgrade a dependency: `npm install --save-exact NAME@VERSION`, then build.
// `npm run watch` rebuilds on every change (unminified, with inline source maps:
// do not commit that output; run `npm run build` before committing).
//
// What it does:
//   - esbuild bundles src/main.js and its imports (sigma, graphology, the
//     ForceAtlas2 worker supervisor, Chart.js, graphql-ws) into one
//     minified IIFE, dist/console.js, and src/console.css into dist/console.css;
//   - it fails if the bundle holds eval or new Function: the page's
//     Content-Security-Policy (script-src 'self') forbids them;
//   - documents.json lists the GraphQL documents the console sends
//     (src/documents.js) as a trusted documents manifest;
//   - THIRD_PARTY_LICENSES.txt gets the licence of every npm package that
//     ends up in the bundle (from esbuild's metafile), at its pinned version.
//
// The ForceAtlas2 layout runs in a Web Worker that the library starts from a
// blob: URL (the CSP allows worker-src blob:), so dist/ needs no worker file.

import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createHash } from "node:crypto";
import * as esbuild from "esbuild";
import { ALL as DOCUMENTS } from "./src/documents.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const outDir = path.join(here, "dist");
const nm = path.join(here, "node_modules");
const watch = process.argv.includes("--watch");

// Versions must match package.json exactly (they are pinned); fail loudly if
// node_modules is stale rather than silently bundling something else.
const manifest = JSON.parse(fs.readFileSync(path.join(here, "package.json"), "utf8"));
for (const [name, want] of Object.entries({ ...manifest.dependencies, ...manifest.devDependencies })) {
  const pj = path.join(nm, ...name.split("/"), "package.json");
  const got = fs.existsSync(pj) ? JSON.parse(fs.readFileSync(pj, "utf8")).version : "nothing";
  if (got !== want) {
    console.error(`${name}: node_modules has ${got}, package.json pins ${want}; run "npm ci" first`);
    process.exit(1);
  }
}

const banner = `/*! grappe console | bundles sigma, graphology, graphology-layout-forceatlas2, @sigma/export-image, chart.js, graphql-ws and their dependencies; licences in THIRD_PARTY_LICENSES.txt */`;

const options = {
  absWorkingDir: here,
  entryPoints: { console: "src/main.js", "console.css": "src/console.css" },
  outdir: outDir,
  bundle: true,
  format: "iife",
  target: ["es2020", "chrome100", "firefox100", "safari15"],
  minify: !watch,
  sourcemap: watch ? "inline" : false,
  legalComments: "none",
  banner: { js: banner, css: "/*! grappe console */" },
  metafile: true,
  logLevel: "info",
  define: { "process.env.NODE_ENV": '"production"' },
};

if (watch) {
  const ctx = await esbuild.context(options);
  await ctx.watch();
  console.log("watching src/ …");
} else {
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(outDir, { recursive: true });
  const result = await esbuild.build(options);
  // esbuild names the CSS entry console.css.css; rename it.
  const cssOut = path.join(outDir, "console.css.css");
  if (fs.existsSync(cssOut)) fs.renameSync(cssOut, path.join(outDir, "console.css"));

  const js = fs.readFileSync(path.join(outDir, "console.js"), "utf8");
  const forbidden = [/\beval\s*\(/, /\bnew\s+Function\s*\(/, /\bFunction\s*\(\s*["'`]/];
  for (const re of forbidden) {
    if (re.test(js)) {
      console.error(`dist/console.js matches ${re}: the page's CSP would refuse it`);
      process.exit(1);
    }
  }

  // The npm packages whose files are in the bundle.
  const bundled = new Set();
  for (const input of Object.keys(result.metafile.inputs)) {
    const m = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//);
    if (m) bundled.add(m[1]);
  }
  const entries = [];
  for (const name of [...bundled].sort()) {
    const dir = path.join(nm, ...name.split("/"));
    const pj = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
    const lic = typeof pj.license === "string" ? pj.license : JSON.stringify(pj.license ?? pj.licenses ?? "UNKNOWN");
    const licFile = fs
      .readdirSync(dir)
      .filter((n) => /^(licen[cs]e|copying)(\.|$)/i.test(n))
      .sort()[0];
    const body = licFile
      ? fs.readFileSync(path.join(dir, licFile), "utf8").trim()
      : `(no licence file shipped; package.json declares ${lic}${pj.author ? `, author ${typeof pj.author === "string" ? pj.author : pj.author.name}` : ""})`;
    entries.push(`${pj.name}@${pj.version}  (${lic})\n${"-".repeat(72)}\n${body}\n`);
  }
  // The console's GraphQL documents as a trusted documents manifest
  // (id → text, the id the hex SHA-256 of the text): the server trusts them
  // when it serves the console (web.ConsoleDocuments).
  const trusted = {};
  for (const text of DOCUMENTS) trusted[createHash("sha256").update(text).digest("hex")] = text;
  fs.writeFileSync(path.join(outDir, "documents.json"), JSON.stringify(trusted, null, 2) + "\n");

  const header = `Third-party software bundled in console.js
${"=".repeat(72)}
Generated by web/console/build.mjs from web/console/package-lock.json:
the npm packages with code in the bundle, at the versions pinned there.

`;
  fs.writeFileSync(path.join(outDir, "THIRD_PARTY_LICENSES.txt"), header + entries.join("\n"));

  let total = 0;
  for (const n of fs.readdirSync(outDir).sort()) {
    const size = fs.statSync(path.join(outDir, n)).size;
    total += size;
    console.log(`${String(size).padStart(9)}  dist/${n}`);
  }
  console.log(`${String(total).padStart(9)}  total`);
}
