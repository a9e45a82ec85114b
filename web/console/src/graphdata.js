// Loads the network to draw and turns it into a graphology graph with
// readable initial positions.

import Graph from "graphology";
import forceAtlas2 from "graphology-layout-forceatlas2";
import { gql } from "./api.js";
import { lang } from "./i18n.js";
import { KIND_COLOURS, OTHER_COLOUR, colourOf } from "./colours.js";
import { GRAPH_QUERY, NEIGHBOURHOOD_QUERY } from "./documents.js";

const LANG = lang === "fr" ? "FR" : "EN";



// taxonomy is the trade taxonomy of an answer: [{id, name, parent}].
function taxonomy(data) {
  return (data.trades || []).map((tr) => ({ id: tr.id, name: tr.name, parent: tr.parent ? tr.parent.id : null }));
}

// loadNetwork fetches what the role may draw and answers a plain model:
// {asOf, nodes: [{id, name, kind, sizeClass, region, trades, degree,
// pageRank, community, betweenness, broker, articulation, distance}],
// edges: [{from, to, links}], communities, own, truncated, taxonomy}.
export async function loadNetwork(role, { signal } = {}) {
  if (role === "MEMBER") {
    const { data } = await gql(NEIGHBOURHOOD_QUERY, { lang: LANG }, { signal });
    const me = data.viewer.member;
    const sub = me.neighborhood;
    const nodes = sub.nodes.map((m) => ({
      id: m.id,
      name: m.name,
      kind: m.kind,
      sizeClass: m.sizeClass,
      region: m.address ? m.address.region : null,
      trades: m.trades || [],
      degree: 0,
      pageRank: null,
      community: null,
      betweenness: null,
      broker: false,
      articulation: false,
    }));
    const edges = sub.edges.map((e) => ({ from: e.from.id, to: e.to.id, links: 1 }));
    const deg = new Map();
    for (const e of edges) {
      deg.set(e.from, (deg.get(e.from) || 0) + 1);
      deg.set(e.to, (deg.get(e.to) || 0) + 1);
    }
    for (const n of nodes) n.degree = deg.get(n.id) || 0;
    return { asOf: null, nodes, edges, communities: [], own: me.id, truncated: sub.truncated, taxonomy: taxonomy(data) };
  }
  const { data } = await gql(GRAPH_QUERY, { lang: LANG }, { signal });
  const net = data.network;
  const nodes = net.graph.nodes.map((n) => ({
    id: n.member.id,
    name: n.member.name,
    kind: n.member.kind,
    sizeClass: n.member.sizeClass,
    region: n.member.address ? n.member.address.region : null,
    trades: n.member.trades || [],
    degree: n.degree,
    pageRank: n.pageRank,
    community: n.community,
    betweenness: n.betweenness,
    broker: !!n.broker,
    articulation: !!n.articulation,
  }));
  return {
    asOf: net.asOf,
    nodes,
    edges: net.graph.edges.map((e) => ({ from: e.from, to: e.to, links: e.links || 1 })),
    communities: net.communities || [],
    own: null,
    truncated: false,
    taxonomy: taxonomy(data),
  };
}

// nodeAttributes: what sigma draws for a node (position aside).
export function nodeAttributes(model, n, scale, byKind) {
  return {
    label: n.name,
    size: scale(n),
    color: byKind ? KIND_COLOURS[n.kind] || OTHER_COLOUR : colourOf(model, n.community),
    community: n.community,
    kind: n.kind,
    sizeClass: n.sizeClass,
    region: n.region,
    trades: n.trades,
    degree: n.degree,
    pageRank: n.pageRank,
    betweenness: n.betweenness,
    broker: n.broker,
    articulation: n.articulation,
    forceLabel: false,
  };
}

// sizeScale sizes nodes by PageRank (by degree when there is none), the
// square root so that areas, not radii, follow the measure.
export function sizeScale(model) {
  const n = model.nodes.length;
  // Smaller nodes as the network grows, so that they do not cover each other.
  const min = n > 5000 ? 1 : n > 1000 ? 1.5 : 3;
  const max = n > 5000 ? 10 : n > 1000 ? 12 : 16;
  const measure = (x) => (x.pageRank !== null && x.pageRank !== undefined ? x.pageRank : x.degree);
  let top = 0;
  for (const x of model.nodes) top = Math.max(top, measure(x) || 0);
  return (x) => (top > 0 ? min + (max - min) * Math.sqrt((measure(x) || 0) / top) : min);
}

// labelled returns the ids of the largest nodes, labelled whatever the zoom.
export function labelled(model, count) {
  const measure = (x) => (x.pageRank !== null && x.pageRank !== undefined ? x.pageRank : x.degree);
  return new Set(
    [...model.nodes].sort((a, b) => measure(b) - measure(a)).slice(0, count).map((x) => x.id),
  );
}

// seedPositions places the nodes so that the graph reads at once, before
// the force layout refines it: each community in a disc (its most central
// members in the middle, on a sunflower spiral), the discs of communities of
// three or more where their links pull them (communityCentres), the smaller
// ones (mostly isolated members) on an outer ring. A MEMBER's neighbourhood:
// itself in the middle, the others on rings by distance.
const SPACING = 10;

export function seedPositions(model) {
  const pos = new Map();
  const golden = Math.PI * (3 - Math.sqrt(5));
  const spiral = (ids, cx, cy, spacing) => {
    ids.forEach((id, i) => {
      const r = spacing * Math.sqrt(i + 0.5);
      const a = i * golden;
      pos.set(id, { x: cx + r * Math.cos(a), y: cy + r * Math.sin(a) });
    });
  };
  const measure = (x) => (x.pageRank !== null && x.pageRank !== undefined ? x.pageRank : x.degree);

  if (model.own) {
    const adj = adjacency(model);
    const dist = bfs(adj, model.own, 3);
    const rings = new Map();
    for (const n of model.nodes) {
      const d = dist.has(n.id) ? dist.get(n.id) : 3;
      if (!rings.has(d)) rings.set(d, []);
      rings.get(d).push(n.id);
    }
    for (const [d, ids] of rings) {
      if (d === 0) {
        pos.set(ids[0], { x: 0, y: 0 });
        continue;
      }
      const radius = d * Math.max(10, Math.sqrt(ids.length) * 3);
      ids.forEach((id, i) => {
        const a = (2 * Math.PI * i) / ids.length + d * 0.3;
        pos.set(id, { x: radius * Math.cos(a), y: radius * Math.sin(a) });
      });
    }
    return pos;
  }

  const groups = new Map();
  for (const n of model.nodes) {
    const c = n.community ?? -1;
    if (!groups.has(c)) groups.set(c, []);
    groups.get(c).push(n);
  }
  for (const g of groups.values()) g.sort((a, b) => measure(b) - measure(a));
  const big = [...groups.entries()].filter(([c, g]) => c >= 0 && g.length >= 3).sort((a, b) => b[1].length - a[1].length);
  const small = [...groups.entries()].filter(([c, g]) => !(c >= 0 && g.length >= 3)).flatMap(([, g]) => g);
  const discRadius = (size) => SPACING * Math.sqrt(size + 0.5) * 1.1;
  const centres = communityCentres(model, big.map(([c, g]) => ({ id: c, radius: discRadius(g.length) })));
  let outer = 0;
  for (const [c, g] of big) {
    const p = centres.get(c);
    spiral(g.map((x) => x.id), p.x, p.y, SPACING);
    outer = Math.max(outer, Math.hypot(p.x, p.y) + discRadius(g.length));
  }
  if (small.length) {
    const R = outer + SPACING * 3;
    small.forEach((n, i) => {
      // Several turns when there are many, so that they do not touch.
      const perTurn = Math.max(12, Math.floor((2 * Math.PI * R) / (SPACING * 1.5)));
      const turn = Math.floor(i / perTurn);
      const a = (2 * Math.PI * (i % perTurn)) / perTurn;
      const r = R + turn * SPACING * 1.5;
      pos.set(n.id, { x: r * Math.cos(a), y: r * Math.sin(a) });
    });
  }
  return pos;
}

// communityCentres places the communities (each a disc of a radius) so
// that those with many links between them are near each other: a small
// ForceAtlas2 on the graph of communities (one node per community, an edge
// weighted by the links between two communities), its discs then pushed
// apart until none overlap.
function communityCentres(model, comms) {
  const centres = new Map();
  if (comms.length === 0) return centres;
  if (comms.length === 1) {
    centres.set(comms[0].id, { x: 0, y: 0 });
    return centres;
  }
  const of = new Map(model.nodes.map((n) => [n.id, n.community]));
  const index = new Map(comms.map((c, i) => [c.id, i]));
  const meta = new Graph({ type: "undirected" });
  const total = comms.reduce((s, c) => s + c.radius * 2, 0);
  comms.forEach((c, i) => {
    const a = (2 * Math.PI * i) / comms.length;
    meta.addNode(c.id, { x: (total / Math.PI) * Math.cos(a), y: (total / Math.PI) * Math.sin(a), size: c.radius });
  });
  for (const e of model.edges) {
    const a = of.get(e.from);
    const b = of.get(e.to);
    if (a === b || !index.has(a) || !index.has(b)) continue;
    meta.updateUndirectedEdge(a, b, (attr) => ({ weight: (attr.weight || 0) + 1 }));
  }
  forceAtlas2.assign(meta, {
    iterations: 300,
    getEdgeWeight: "weight",
    settings: { gravity: 1, scalingRatio: 2, strongGravityMode: true, adjustSizes: false, edgeWeightInfluence: 0.5, slowDown: 2 },
  });
  const pts = comms.map((c) => ({ id: c.id, r: c.radius, ...meta.getNodeAttributes(c.id) }));
  // Scale until no two discs overlap (with a margin), then centre.
  let k = 0;
  for (let i = 0; i < pts.length; i++) {
    for (let j = i + 1; j < pts.length; j++) {
      const d = Math.hypot(pts[i].x - pts[j].x, pts[i].y - pts[j].y) || 1e-6;
      k = Math.max(k, ((pts[i].r + pts[j].r) * 1.15) / d);
    }
  }
  let cx = 0;
  let cy = 0;
  for (const p of pts) {
    cx += p.x;
    cy += p.y;
  }
  cx /= pts.length;
  cy /= pts.length;
  for (const p of pts) centres.set(p.id, { x: (p.x - cx) * k, y: (p.y - cy) * k });
  return centres;
}

export function adjacency(model) {
  const adj = new Map();
  for (const n of model.nodes) adj.set(n.id, []);
  for (const e of model.edges) {
    if (adj.has(e.from) && adj.has(e.to)) {
      adj.get(e.from).push(e.to);
      adj.get(e.to).push(e.from);
    }
  }
  return adj;
}

// bfs returns the distance of every node within radius of start.
export function bfs(adj, start, radius) {
  const dist = new Map([[start, 0]]);
  let frontier = [start];
  for (let d = 1; d <= radius && frontier.length; d++) {
    const next = [];
    for (const u of frontier) {
      for (const v of adj.get(u) || []) {
        if (!dist.has(v)) {
          dist.set(v, d);
          next.push(v);
        }
      }
    }
    frontier = next;
  }
  return dist;
}

export function edgeKey(a, b) {
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

// buildGraph makes the graphology graph of a model.
export function buildGraph(model) {
  const graph = new Graph({ type: "undirected", multi: false, allowSelfLoops: false });
  const scale = sizeScale(model);
  const byKind = !!model.own;
  const labels = labelled(model, model.nodes.length > 2000 ? 12 : 8);
  const pos = seedPositions(model);
  for (const n of model.nodes) {
    const p = pos.get(n.id) || { x: 0, y: 0 };
    const attrs = nodeAttributes(model, n, scale, byKind);
    attrs.forceLabel = labels.has(n.id);
    graph.addNode(n.id, { ...attrs, x: p.x, y: p.y });
  }
  for (const e of model.edges) {
    if (e.from === e.to || !graph.hasNode(e.from) || !graph.hasNode(e.to)) continue;
    const key = edgeKey(e.from, e.to);
    if (!graph.hasEdge(key)) graph.addUndirectedEdgeWithKey(key, e.from, e.to, { links: e.links, size: 1 });
  }
  return graph;
}

// updateGraph brings graph to model in place, for a live update: existing
// nodes keep their positions, new ones are placed near their neighbours
// already drawn (or their community), nodes and edges gone are dropped.
export function updateGraph(graph, model) {
  const scale = sizeScale(model);
  const byKind = !!model.own;
  const labels = labelled(model, model.nodes.length > 2000 ? 12 : 8);
  const ids = new Set(model.nodes.map((n) => n.id));
  graph.forEachNode((id) => {
    if (!ids.has(id)) graph.dropNode(id);
  });
  // Community centres of what is drawn, for new nodes without neighbours.
  const centres = new Map();
  graph.forEachNode((id, a) => {
    const c = a.community ?? -1;
    const s = centres.get(c) || { x: 0, y: 0, n: 0 };
    s.x += a.x;
    s.y += a.y;
    s.n += 1;
    centres.set(c, s);
  });
  const adj = adjacency(model);
  const added = [];
  for (const n of model.nodes) {
    const attrs = nodeAttributes(model, n, scale, byKind);
    attrs.forceLabel = labels.has(n.id);
    if (graph.hasNode(n.id)) {
      graph.mergeNodeAttributes(n.id, attrs);
    } else {
      added.push(n);
      graph.addNode(n.id, { ...attrs, x: 0, y: 0 });
    }
  }
  // Spread of the drawing, to scale the jitter.
  let minX = Infinity, maxX = -Infinity;
  graph.forEachNode((id, a) => {
    minX = Math.min(minX, a.x);
    maxX = Math.max(maxX, a.x);
  });
  const jitter = Number.isFinite(maxX - minX) && maxX > minX ? (maxX - minX) / 60 : 1;
  const placed = new Set(graph.nodes().filter((id) => !added.some((n) => n.id === id)));
  for (const n of added) {
    const near = (adj.get(n.id) || []).filter((v) => placed.has(v));
    let x, y;
    if (near.length) {
      x = near.reduce((s, v) => s + graph.getNodeAttribute(v, "x"), 0) / near.length;
      y = near.reduce((s, v) => s + graph.getNodeAttribute(v, "y"), 0) / near.length;
    } else {
      const c = centres.get(n.community ?? -1);
      x = c && c.n ? c.x / c.n : 0;
      y = c && c.n ? c.y / c.n : 0;
    }
    const a = Math.random() * 2 * Math.PI;
    graph.mergeNodeAttributes(n.id, { x: x + jitter * Math.cos(a), y: y + jitter * Math.sin(a) });
    placed.add(n.id);
  }
  const keys = new Set();
  for (const e of model.edges) {
    if (e.from === e.to || !graph.hasNode(e.from) || !graph.hasNode(e.to)) continue;
    const key = edgeKey(e.from, e.to);
    keys.add(key);
    if (graph.hasEdge(key)) graph.mergeEdgeAttributes(key, { links: e.links });
    else graph.addUndirectedEdgeWithKey(key, e.from, e.to, { links: e.links, size: 1 });
  }
  graph.forEachEdge((key) => {
    if (!keys.has(key)) graph.dropEdge(key);
  });
  return added.length;
}

// satellites: the members of components of one or two members (mostly
// isolated members), in component order. The force layout would fling them
// far away; they are kept on a ring around the rest instead.
export function satellites(graph) {
  const seen = new Set();
  const out = [];
  graph.forEachNode((id) => {
    if (seen.has(id)) return;
    const deg = graph.degree(id);
    if (deg === 0) {
      seen.add(id);
      out.push(id);
    } else if (deg === 1) {
      const other = graph.neighbors(id)[0];
      if (graph.degree(other) === 1) {
        seen.add(id);
        seen.add(other);
        out.push(id, other);
      }
    }
  });
  return out;
}

// ringAround places ids on a ring just outside the other nodes' extent.
export function ringAround(graph, ids) {
  const skip = new Set(ids);
  let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
  graph.forEachNode((id, a) => {
    if (skip.has(id)) return;
    if (a.x < minX) minX = a.x;
    if (a.x > maxX) maxX = a.x;
    if (a.y < minY) minY = a.y;
    if (a.y > maxY) maxY = a.y;
  });
  const pos = new Map();
  if (!Number.isFinite(minX)) {
    minX = minY = -1;
    maxX = maxY = 1;
  }
  const cx = (minX + maxX) / 2;
  const cy = (minY + maxY) / 2;
  const R = Math.max(maxX - minX, maxY - minY) / 2;
  const gap = Math.max(R * 0.02, 1e-3);
  let r = R + gap * 4;
  let i = 0;
  while (i < ids.length) {
    // As many as the turn holds, spread over the whole turn (a few isolated
    // members would otherwise sit in a clump at its start).
    const perTurn = Math.min(ids.length - i, Math.max(12, Math.floor((2 * Math.PI * r) / (gap * 1.5))));
    for (let k = 0; k < perTurn; k++, i++) {
      const a = (2 * Math.PI * k) / perTurn - Math.PI / 2;
      pos.set(ids[i], { x: cx + r * Math.cos(a), y: cy + r * Math.sin(a) });
    }
    r += gap * 1.5;
  }
  return pos;
}
