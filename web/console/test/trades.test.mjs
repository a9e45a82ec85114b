// Run by TestConsoleScripts (web/console_test.go): node --test web/console/test.
import { test } from "node:test";
import assert from "node:assert/strict";
import { tradeOptions, subtree } from "../src/trades.js";

const taxonomy = [
  { id: "M", name: "Manufacturers", parent: null },
  { id: "S", name: "Sensors", parent: "M" },
  { id: "P", name: "Pressure sensors", parent: "S" },
  { id: "B", name: "Benches", parent: "M" },
  { id: "L", name: "Laboratories", parent: null },
  { id: "X", name: "Unused", parent: null },
];
const node = (...trades) => ({ trades: trades.map((id) => ({ id, name: id })) });

test("options are a tree by name, counting each node once under every ancestor", () => {
  const opts = tradeOptions(taxonomy, [node("P"), node("P", "S"), node("B"), node("L", "B")]);
  assert.deepEqual(
    opts.map((o) => [o.id, o.depth, o.count]),
    [["L", 0, 1], ["M", 0, 4], ["B", 1, 2], ["S", 1, 2], ["P", 2, 2]],
  );
});

test("a trade nobody holds, itself or below, is not offered", () => {
  const opts = tradeOptions(taxonomy, [node("B")]);
  assert.deepEqual(opts.map((o) => o.id), ["M", "B"]);
});

test("a trade missing from the taxonomy stands at the top", () => {
  const opts = tradeOptions(taxonomy, [node("NEW")]);
  assert.deepEqual(opts.map((o) => [o.id, o.depth, o.count]), [["NEW", 0, 1]]);
});

test("a subtree holds the trade and its sub-trades at any depth", () => {
  assert.deepEqual([...subtree(taxonomy, "M")].sort(), ["B", "M", "P", "S"]);
  assert.deepEqual([...subtree(taxonomy, "P")], ["P"]);
  assert.deepEqual([...subtree(taxonomy, "L")], ["L"]);
});

test("a cycle in a broken taxonomy does not loop", () => {
  const broken = [{ id: "A", name: "A", parent: "B" }, { id: "B", name: "B", parent: "A" }];
  assert.deepEqual([...subtree(broken, "A")].sort(), ["A", "B"]);
  tradeOptions(broken, [node("A")]);
});
