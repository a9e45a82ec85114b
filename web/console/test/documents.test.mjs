// Run by TestConsoleScripts (web/console_test.go): node --test web/console/test.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as docs from "../src/documents.js";

const opName = (text) => (text.match(/^(query|subscription) (\w+)/) || [])[2];

test("every document is named, once, and listed in ALL", () => {
  const names = docs.ALL.map(opName);
  assert.ok(names.every(Boolean), "an anonymous document");
  assert.equal(new Set(docs.ALL).size, docs.ALL.length, "a document listed twice");
  for (const [name, value] of Object.entries(docs)) {
    if (typeof value === "string" && /_(QUERY|SUBSCRIPTION)$/.test(name)) assert.ok(docs.ALL.includes(value), `${name} is not in ALL`);
  }
});

test("the member panel has two documents, the analysis only in the full one", () => {
  assert.notEqual(docs.memberQuery(true), docs.memberQuery(false));
  assert.match(docs.memberQuery(true), /centrality/);
  assert.doesNotMatch(docs.memberQuery(false), /centrality/);
  assert.equal(opName(docs.memberQuery(true)), opName(docs.memberQuery(false)));
});

test("dist/documents.json is the build of these documents (run npm run build after changing them)", async () => {
  const { readFileSync } = await import("node:fs");
  const { createHash } = await import("node:crypto");
  const built = JSON.parse(readFileSync(new URL("../dist/documents.json", import.meta.url), "utf8"));
  const want = Object.fromEntries(docs.ALL.map((text) => [createHash("sha256").update(text).digest("hex"), text]));
  assert.deepEqual(built, want);
});
