// build.mjs copies the prebuilt UMD/CSS distributions of GraphiQL and React
// from node_modules into ../static, so that package grappe/web can embed them
// and serve GraphiQL without any CDN.
//
// Usage (from web/graphiql):  npm ci && npm run build
//
// No bundler is involved: graphiql ships a self-contained UMD build that
// expects the React and ReactDOM globals, which the React 18 UMD builds
// provide. The only transformations are:
//   - a licence banner is prepended to graphiql.min.js / graphiql.min.css
//     (React's UMD files already carry their own @license header);
//   - the trailing sourceMappingURL comment is removed, because the (4 MB)
//     source maps are not shipped;
//   - THIRD_PARTY_LICENSES.txt is generated from the licence files of every
//     package in the dependency tree (graphiql's UMD build bundles them).

import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const outDir = path.resolve(here, "..", "static");
const nm = path.join(here, "node_modules");

function pkgDir(name) {
  return path.join(nm, ...name.split("/"));
}

function pkgJSON(name) {
  return JSON.parse(fs.readFileSync(path.join(pkgDir(name), "package.json"), "utf8"));
}

// Versions must match package.json exactly (they are pinned); fail loudly if
// node_modules is stale rather than silently vendoring something else.
const manifest = JSON.parse(fs.readFileSync(path.join(here, "package.json"), "utf8"));
for (const [name, want] of Object.entries(manifest.dependencies)) {
  const got = pkgJSON(name).version;
  if (got !== want) {
    console.error(`${name}: node_modules has ${got}, package.json pins ${want}; run "npm ci" first`);
    process.exit(1);
  }
}

const gv = pkgJSON("graphiql").version;
const rv = pkgJSON("react").version;
const rdv = pkgJSON("react-dom").version;

function stripSourceMap(text) {
  return text.replace(/\n?\/[/*][#@] sourceMappingURL=[^\n]*?(\*\/)?\s*$/, "\n");
}

const graphiqlBanner =
  `/*! graphiql v${gv} | MIT License | Copyright (c) 2021 GraphQL Contributors\n` +
  ` *  https://github.com/graphql/graphiql\n` +
  ` *  This file bundles third-party packages (graphql, codemirror, markdown-it, ...);\n` +
  ` *  their licences are reproduced in THIRD_PARTY_LICENSES.txt. */\n`;

const cssBanner =
  `/*! graphiql v${gv} | MIT License | Copyright (c) 2021 GraphQL Contributors\n` +
  ` *  https://github.com/graphql/graphiql\n` +
  ` *  Embeds the Roboto (Apache-2.0) and Fira Code (SIL OFL 1.1) fonts;\n` +
  ` *  see THIRD_PARTY_LICENSES.txt. */\n`;

const files = [
  {
    out: "react.production.min.js",
    src: path.join(pkgDir("react"), "umd", "react.production.min.js"),
  },
  {
    out: "react-dom.production.min.js",
    src: path.join(pkgDir("react-dom"), "umd", "react-dom.production.min.js"),
  },
  {
    out: "graphiql.min.js",
    src: path.join(pkgDir("graphiql"), "graphiql.min.js"),
    banner: graphiqlBanner,
  },
  {
    out: "graphiql.min.css",
    src: path.join(pkgDir("graphiql"), "graphiql.min.css"),
    banner: cssBanner,
  },
];

fs.rmSync(outDir, { recursive: true, force: true });
fs.mkdirSync(outDir, { recursive: true });

for (const f of files) {
  let text = stripSourceMap(fs.readFileSync(f.src, "utf8"));
  if (f.banner) text = f.banner + text;
  if (!text.endsWith("\n")) text += "\n";
  fs.writeFileSync(path.join(outDir, f.out), text);
}

// THIRD_PARTY_LICENSES.txt: licence text of every installed package, taken
// from package-lock.json so the list is exactly the pinned dependency tree.
const lock = JSON.parse(fs.readFileSync(path.join(here, "package-lock.json"), "utf8"));
const entries = [];
for (const key of Object.keys(lock.packages).sort()) {
  if (!key.startsWith("node_modules/")) continue;
  const dir = path.join(here, key);
  const pj = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
  const lic = typeof pj.license === "string" ? pj.license : JSON.stringify(pj.license ?? pj.licenses ?? "UNKNOWN");
  const licFile = fs
    .readdirSync(dir)
    .filter((n) => /^(licen[cs]e|copying)(\.|$)/i.test(n))
    .sort()[0];
  const body = licFile ? fs.readFileSync(path.join(dir, licFile), "utf8").trim() : `(no licence file shipped; package.json declares ${lic})`;
  entries.push(`${pj.name}@${pj.version}  (${lic})\n${"-".repeat(72)}\n${body}\n`);
}

const fontNotice = `Fonts embedded (as data: URIs) in graphiql.min.css, via @graphiql/react
${"-".repeat(72)}
Roboto - Copyright 2011 Google Inc. All Rights Reserved. Licensed under the
Apache License, Version 2.0 (https://www.apache.org/licenses/LICENSE-2.0);
Roboto releases since v3 are also distributed under the SIL Open Font
License, Version 1.1.

Fira Code - Copyright (c) 2014, The Fira Code Project Authors
(https://github.com/tonsky/FiraCode). Licensed under the SIL Open Font
License, Version 1.1 (https://openfontlicense.org).
`;

const header = `Third-party software vendored in this directory
${"=".repeat(72)}
Generated by web/graphiql/build.mjs from web/graphiql/package-lock.json.

react.production.min.js      react@${rv}
react-dom.production.min.js  react-dom@${rdv} (includes scheduler)
graphiql.min.js              graphiql@${gv} UMD build, which bundles the
                             packages listed below (except react/react-dom;
                             some, e.g. argparse and @types/*, are only
                             installed as transitive dependencies and are not
                             part of the browser bundle)
graphiql.min.css             graphiql@${gv}

`;

fs.writeFileSync(
  path.join(outDir, "THIRD_PARTY_LICENSES.txt"),
  header + fontNotice + "\n" + entries.join("\n"),
);

let total = 0;
for (const n of fs.readdirSync(outDir).sort()) {
  const size = fs.statSync(path.join(outDir, n)).size;
  total += size;
  console.log(`${String(size).padStart(9)}  static/${n}`);
}
console.log(`${String(total).padStart(9)}  total`);
