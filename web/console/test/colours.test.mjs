// Run by TestConsoleColours (web/console_test.go): node --test web/console/test.
import { test } from "node:test";
import assert from "node:assert/strict";
import { keepColours, colourOf, communityColour, PALETTE, OTHER_COLOUR } from "../src/colours.js";

const model = (communities) => ({
  nodes: Object.entries(communities).map(([id, community]) => ({ id, community })),
});

test("a first model colours each community by its id", () => {
  const m = keepColours(model({ a: 0, b: 0, c: 1, d: 2 }), null);
  assert.deepEqual([...m.slots], [[0, 0], [1, 1], [2, 2]]);
  assert.equal(colourOf(m, 1), PALETTE[1]);
  assert.equal(colourOf(m, null), OTHER_COLOUR);
});

test("renumbered communities keep the colours of their members", () => {
  const before = keepColours(model({ a: 0, b: 0, c: 0, d: 1, e: 1, f: 2 }), null);
  // The API numbers by size: community 1 grew past community 0.
  const after = keepColours(model({ a: 1, b: 1, c: 1, d: 0, e: 0, g: 0, h: 0, f: 2 }), before);
  assert.equal(colourOf(after, 1), colourOf(before, 0));
  assert.equal(colourOf(after, 0), colourOf(before, 1));
  assert.equal(colourOf(after, 2), colourOf(before, 2));
});

test("a split keeps the colour for the larger part, the other takes a free one", () => {
  const before = keepColours(model({ a: 0, b: 0, c: 0, d: 0, e: 0, f: 1 }), null);
  const after = keepColours(model({ a: 0, b: 0, c: 0, d: 2, e: 2, f: 1 }), before);
  assert.equal(after.slots.get(0), 0);
  assert.equal(after.slots.get(1), 1);
  assert.equal(after.slots.get(2), 2, "the smallest slot no community holds");
  assert.notEqual(colourOf(after, 2), colourOf(after, 0));
});

test("a merge keeps the colour of the larger community; a freed slot is reused", () => {
  const before = keepColours(model({ a: 0, b: 0, c: 0, d: 1, e: 1, f: 2 }), null);
  const after = keepColours(model({ a: 0, b: 0, c: 0, d: 0, e: 0, f: 1, n: 2 }), before);
  assert.equal(after.slots.get(0), 0);
  assert.equal(after.slots.get(1), 2, "f kept its colour");
  assert.equal(after.slots.get(2), 1, "a new community takes the freed slot");
});

test("no two communities share a slot", () => {
  const prev = keepColours(model(Object.fromEntries([...Array(40)].map((_, i) => [`m${i}`, i % 13]))), null);
  const next = keepColours(model(Object.fromEntries([...Array(40)].map((_, i) => [`m${i}`, (i * 7) % 17]))), prev);
  const slots = [...next.slots.values()];
  assert.equal(new Set(slots).size, slots.length);
  assert.equal(slots.length, 17);
});

test("colours beyond the palette are distinct and not the palette's", () => {
  const extra = [...Array(30)].map((_, i) => communityColour(PALETTE.length + i));
  assert.equal(new Set(extra).size, extra.length);
  for (const c of extra) assert.match(c, /^#[0-9a-f]{6}$/);
});
