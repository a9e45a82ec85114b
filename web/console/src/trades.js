// The trade taxonomy for the explorer's trade filter: a trade stands for
// itself and its sub-trades, as everywhere in the API. No import, so that
// node --test runs it as it is (test/trades.test.mjs).

// tradeOptions lists the trades some node holds, itself or through a
// sub-trade, as a tree: each trade followed by its children, by name, with
// its depth and how many nodes it counts (a node once, however many of
// the trade's sub-trades it holds). taxonomy: [{id, name, parent}] (parent
// an id or null); nodes: [{trades: [{id}]}]. A trade missing from the
// taxonomy (a taxonomy older than the nodes) stands at the top.
export function tradeOptions(taxonomy, nodes) {
  const byId = new Map(taxonomy.map((tr) => [tr.id, tr]));
  const counts = new Map();
  for (const n of nodes) {
    const seen = new Set();
    for (const tr of n.trades || []) {
      if (!byId.has(tr.id)) byId.set(tr.id, { id: tr.id, name: tr.name, parent: null });
      for (let id = tr.id, hops = 0; id != null && !seen.has(id) && hops < 64; hops++) {
        seen.add(id);
        id = byId.get(id) ? byId.get(id).parent : null;
      }
    }
    for (const id of seen) counts.set(id, (counts.get(id) || 0) + 1);
  }
  const children = new Map();
  for (const tr of byId.values()) {
    if (!counts.has(tr.id)) continue;
    const p = tr.parent != null && byId.has(tr.parent) ? tr.parent : null;
    if (!children.has(p)) children.set(p, []);
    children.get(p).push(tr);
  }
  const out = [];
  const walk = (parent, depth) => {
    const list = (children.get(parent) || []).sort((a, b) => a.name.localeCompare(b.name) || String(a.id).localeCompare(String(b.id)));
    for (const tr of list) {
      out.push({ id: tr.id, name: tr.name, depth, count: counts.get(tr.id) });
      if (depth < 64) walk(tr.id, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}

// subtree is the set of ids of the trade and of its sub-trades, at any
// depth.
export function subtree(taxonomy, id) {
  const children = new Map();
  for (const tr of taxonomy) {
    if (tr.parent == null) continue;
    if (!children.has(tr.parent)) children.set(tr.parent, []);
    children.get(tr.parent).push(tr.id);
  }
  const out = new Set([id]);
  const todo = [id];
  while (todo.length) {
    for (const c of children.get(todo.pop()) || []) {
      if (!out.has(c)) {
        out.add(c);
        todo.push(c);
      }
    }
  }
  return out;
}
