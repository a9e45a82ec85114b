// The network explorer: the graph drawn with sigma.js (WebGL), laid out by
// ForceAtlas2 in a Web Worker, with search, side panel, neighbourhood,
// shortest path, filters, key members, PNG export and live updates.

import Sigma from "sigma";
import { EdgeLineProgram, EdgeRectangleProgram } from "sigma/rendering";
import FA2Layout from "graphology-layout-forceatlas2/worker";
import { inferSettings } from "graphology-layout-forceatlas2";
import { downloadAsPNG } from "@sigma/export-image";

import { currentToken, gql } from "./api.js";
import { h, clear } from "./dom.js";
import { t, label, num, dateTime } from "./i18n.js";
import { hooks, firstDraw } from "./state.js";
import { loadNetwork, buildGraph, updateGraph, bfs, edgeKey, satellites, ringAround } from "./graphdata.js";
import { keepColours, colourOf, KIND_COLOURS, PALETTE, OTHER_COLOUR } from "./colours.js";
import { Search } from "./search.js";
import { Filters } from "./filters.js";
import { Panel } from "./panel.js";
import { PathFinder } from "./path.js";
import { subscribeNetwork } from "./live.js";
import { VERSION_QUERY } from "./documents.js";

const DIM_NODE = "#e2e8f0";
const EDGE = "#cbd5e1";
const EDGE_BIG = "#d5dde7";
const DIM_EDGE = "#f1f5f9";
const EDGE_FOCUS = "#475569";
const PATH_EDGE = "#dc2626";
const BROKER = "#d97706";
const ARTICULATION = "#c026d3";
const BOTH = "#dc2626";
const NEUTRAL = "#94a3b8";

export class Explorer {
  constructor(ctx) {
    // ctx: {role, own (member id for MEMBER), showError(e), setLive(status, info)}
    this.ctx = ctx;
    this.role = ctx.role;
    this.graph = null;
    this.renderer = null;
    this.layout = null;
    this.layoutTimer = null;
    this.selected = null;
    this.radius = 1;
    this.neigh = null;
    this.pathNodes = null;
    this.pathEdges = null;
    this.filterPass = null;
    this.destroyed = false;
    this.liveStop = null;
    this.liveVersion = null;
    this.reloadTimer = null;
    this.reloading = false;
    this.model = null;

    this.search = new Search((id, o) => this.select(id, { ...o, moveCamera: true }));
    this.filters = new Filters(() => this.applyFilters(), { keyMembers: this.role !== "MEMBER" });
    this.panel = new Panel({
      role: this.role,
      own: ctx.own,
      onSelect: (id) => this.select(id, { moveCamera: true, focusPanel: true }),
      onClose: () => this.select(null),
      onPathFrom: (id) => this.path.setFrom(id),
      onPathTo: (id) => {
        // A MEMBER's paths start from itself.
        if (this.role === "MEMBER" && !this.path.from && ctx.own && id !== ctx.own) this.path.from = ctx.own;
        this.path.setTo(id);
      },
      onRadius: (r) => {
        this.radius = r;
        this.computeNeighbourhood();
        this.refresh();
      },
      inGraph: (id) => !!(this.graph && this.graph.hasNode(id)),
    });
    this.path = new PathFinder({
      nameOf: (id) => (this.graph && this.graph.hasNode(id) ? this.graph.getNodeAttribute(id, "label") : null),
      onChange: (r) => this.setPath(r),
      onSelect: (id) => this.select(id, { moveCamera: true }),
    });

    this.graphEl = h("div", {
      class: "graph",
      "data-testid": "graph",
      tabindex: "0",
      role: "application",
      "aria-roledescription": "graph",
      "aria-label": t("loading"),
      onkeydown: (ev) => this.graphKey(ev),
    });
    this.nodeCountEl = h("span", { "data-testid": "node-count", "data-count": "0" });
    this.edgeCountEl = h("span", { "data-testid": "edge-count", "data-count": "0" });
    this.shownEl = h("span", { class: "muted" });
    this.asOfEl = h("span", { class: "muted" });
    this.layoutBtn = h("button", { type: "button", "data-testid": "layout-toggle", onclick: () => this.toggleLayout() }, t("explorer.layoutRun"));
    this.legendEl = h("section", { class: "legend-box", "aria-labelledby": "legend-title" });
    this.loadingEl = h("div", { class: "overlay", role: "status" }, t("loading"));

    const toolbar = h(
      "div",
      { class: "toolbar", role: "toolbar", "aria-label": t("explorer.layout") },
      h("button", { type: "button", "aria-label": t("explorer.zoomIn"), title: t("explorer.zoomIn"), onclick: () => this.zoom(1 / 1.5) }, "+"),
      h("button", { type: "button", "aria-label": t("explorer.zoomOut"), title: t("explorer.zoomOut"), onclick: () => this.zoom(1.5) }, "−"),
      h("button", { type: "button", "aria-label": t("explorer.zoomReset"), title: t("explorer.zoomReset"), onclick: () => this.resetCamera() }, "⤢"),
      this.layoutBtn,
      h("button", { type: "button", "data-testid": "export-png", onclick: () => this.exportPNG() }, t("explorer.export")),
    );
    const status = h(
      "div",
      { class: "statusbar" },
      this.nodeCountEl,
      h("span", { "aria-hidden": "true" }, " · "),
      this.edgeCountEl,
      this.shownEl,
      this.asOfEl,
    );
    // Escape in the panel closes it and gives the focus back to the search.
    this.panel.el.addEventListener("keydown", (ev) => {
      if (ev.key === "Escape" && !ev.defaultPrevented) {
        ev.preventDefault();
        this.select(null);
        this.search.input.focus();
      }
    });
    this.el = h(
      "div",
      { class: "explorer" },
      h("aside", { class: "sidebar", "aria-label": t("filters.title") }, this.search.el, this.path.el, this.filters.el, this.legendEl),
      h("div", { class: "graph-wrap" }, this.graphEl, this.loadingEl, toolbar, status),
      this.panel.el,
    );
  }

  // show(id) selects a member once the graph is drawn (route #/explorer/<id>).
  showMember(id) {
    if (this.loaded && this.graph.hasNode(id)) this.select(id, { moveCamera: true, focusPanel: true });
    else this.pendingSelect = id;
  }

  // shown is called when the view comes back on screen.
  shown() {
    if (this.renderer) {
      this.renderer.resize();
      this.renderer.refresh();
    }
    this.updateCounts();
  }

  async mount(container) {
    container.appendChild(this.el);
    try {
      const t0 = performance.now();
      const model = await loadNetwork(this.role);
      if (this.destroyed) return;
      const t1 = performance.now();
      this.draw(model);
      const t2 = performance.now();
      // Where the load time goes (fetch and parse, then graph, positions and first render).
      hooks.timings = { fetchMs: Math.round(t1 - t0), buildMs: this.buildMs, renderMs: Math.round(t2 - t1) - this.buildMs };
    } catch (e) {
      if (this.destroyed) return;
      this.loadingEl.hidden = true;
      this.ctx.showError(e, "explorer");
      return;
    }
    if (this.role === "ANALYST" || this.role === "STAFF") this.startLive();
  }

  draw(model) {
    if (!webglAvailable()) {
      this.loadingEl.hidden = true;
      this.ctx.showError(new Error(t("error.webgl")), "explorer", { plain: true });
      return;
    }
    this.model = keepColours(model, null);
    const t0 = performance.now();
    this.graph = buildGraph(model);
    this.buildMs = Math.round(performance.now() - t0);
    const big = model.nodes.length > 2000;
    // Search, filters, legend and counts first: the renderer draws once, at its creation.
    this.afterModel();
    this.renderer = new Sigma(this.graph, this.graphEl, {
      // One-pixel GL lines for the many edges (cheap to draw); rectangles,
      // which have a width, for the highlighted ones (type "thick").
      defaultEdgeType: "line",
      edgeProgramClasses: { line: EdgeLineProgram, thick: EdgeRectangleProgram },
      allowInvalidContainer: true,
      zIndex: true,
      defaultEdgeColor: big ? EDGE_BIG : EDGE,
      defaultNodeColor: OTHER_COLOUR,
      labelFont: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
      labelSize: 12,
      labelWeight: "600",
      labelColor: { color: "#0f172a" },
      labelDensity: big ? 0.3 : 0.4,
      labelGridCellSize: big ? 160 : 120,
      labelRenderedSizeThreshold: big ? 10 : 8,
      hideEdgesOnMove: big,
      minCameraRatio: 0.02,
      maxCameraRatio: 4,
      stagePadding: 24,
      nodeReducer: (node, data) => this.nodeReducer(node, data),
      edgeReducer: (edge, data) => this.edgeReducer(edge, data),
    });
    this.renderer.on("clickNode", ({ node }) => this.select(node));
    this.renderer.on("enterNode", () => this.graphEl.classList.add("pointer"));
    this.renderer.on("leaveNode", () => this.graphEl.classList.remove("pointer"));
    this.loadingEl.hidden = true;
    firstDraw();
    this.loaded = true;
    this.ctx.ready(this);
    if (this.pendingSelect && this.graph.hasNode(this.pendingSelect)) this.select(this.pendingSelect, { moveCamera: true });
    else if (this.role === "MEMBER" && model.own) this.select(model.own);
    this.pendingSelect = null;
    this.startLayout();
  }

  // afterModel refreshes everything derived from the nodes.
  afterModel() {
    const nodes = [];
    this.graph.forEachNode((id, a) => nodes.push({ id, name: a.label, kind: a.kind, region: a.region, trades: a.trades, sizeClass: a.sizeClass }));
    this.search.setNodes(nodes);
    this.filters.setNodes(nodes, this.model.taxonomy);
    this.computeFilter();
    this.computeNeighbourhood();
    this.renderLegend();
    this.updateCounts();
    const m = this.model;
    clear(
      this.asOfEl,
      m.own ? ` · ${t("explorer.ownNeighbourhood")}` : m.asOf ? ` · ${t("explorer.asOf", { date: dateTime(m.asOf) })}` : "",
      m.truncated ? ` · ${t("explorer.truncated")}` : "",
    );
  }

  renderLegend() {
    const m = this.model;
    const items = [];
    if (m.own) {
      for (const k of Object.keys(KIND_COLOURS)) {
        items.push(h("li", null, h("span", { class: "swatch", style: `background:${KIND_COLOURS[k]}`, "aria-hidden": "true" }), label(k)));
      }
    } else {
      // In the order of their colours: after a live update, the slots (see keepColours) may differ from the ids.
      const slot = (c) => (m.slots && m.slots.has(c.id) ? m.slots.get(c.id) : c.id);
      const comms = [...m.communities].sort((a, b) => slot(a) - slot(b));
      for (const c of comms.slice(0, PALETTE.length)) {
        items.push(
          h(
            "li",
            null,
            h("span", { class: "swatch", style: `background:${colourOf(m, c.id)}`, "aria-hidden": "true" }),
            t("explorer.community", { id: c.id }),
            h("span", { class: "muted" }, ` (${num(c.size)})`),
          ),
        );
      }
      if (comms.length > PALETTE.length) {
        items.push(h("li", { class: "muted" }, t("explorer.others", { n: num(comms.length - PALETTE.length) })));
      }
    }
    clear(
      this.legendEl,
      h("h2", { id: "legend-title", class: "section-title" }, m.own ? t("explorer.kindsLegend") : t("explorer.legend")),
      h("ul", { class: "legend" }, items),
    );
  }

  // ---- drawing state -------------------------------------------------

  // state of a node: 0 normal, 1 dimmed, 2 hidden, 3 emphasised.
  nodeState(node, a) {
    if (node === this.selected || (this.pathNodes && this.pathNodes.has(node))) return 3;
    const pass = !this.filterPass || this.filterPass.has(node);
    if (!pass && this.filters.value.mode === "hide") return 2;
    if (!pass) return 1;
    if (this.pathNodes) return 1;
    if (this.neigh) return this.neigh.has(node) ? 3 : 1;
    if (this.filters.value.key && !(a.broker || a.articulation)) return 1;
    return 0;
  }

  nodeReducer(node, data) {
    const s = this.nodeState(node, data);
    const res = { ...data };
    if (s === 2) {
      res.hidden = true;
      return res;
    }
    if (this.filters.value.key && s !== 1) {
      if (data.broker || data.articulation) {
        res.color = data.broker && data.articulation ? BOTH : data.broker ? BROKER : ARTICULATION;
        res.forceLabel = true;
        res.zIndex = 2;
      } else if (node !== this.selected && !(this.pathNodes && this.pathNodes.has(node))) {
        // Community colours would blur the key members' colours: the others go grey.
        res.color = NEUTRAL;
      }
    }
    if (s === 1) {
      res.color = DIM_NODE;
      res.label = null;
      res.forceLabel = false;
      res.zIndex = 0;
    } else if (s === 3) {
      res.zIndex = 2;
      const near = this.neigh && this.neigh.get(node) <= 1 && this.neigh.size <= 60;
      if (node === this.selected || (this.pathNodes && this.pathNodes.has(node)) || near) res.forceLabel = true;
      if (node === this.selected || (this.pathNodes && this.pathNodes.has(node))) {
        res.highlighted = true;
        res.zIndex = 3;
      }
    } else {
      res.zIndex = 1;
    }
    return res;
  }

  edgeReducer(edge, data) {
    const g = this.graph;
    const s = g.source(edge);
    const d = g.target(edge);
    const ss = this.nodeState(s, g.getNodeAttributes(s));
    const ds = this.nodeState(d, g.getNodeAttributes(d));
    const res = { ...data };
    if (ss === 2 || ds === 2) {
      res.hidden = true;
      return res;
    }
    if (this.pathEdges) {
      if (this.pathEdges.has(edge)) {
        res.color = PATH_EDGE;
        res.size = 4;
        res.type = "thick";
        res.zIndex = 3;
      } else {
        res.color = DIM_EDGE;
        res.zIndex = 0;
      }
      return res;
    }
    if (this.neigh) {
      if (this.neigh.has(s) && this.neigh.has(d) && ss !== 1 && ds !== 1) {
        res.color = EDGE_FOCUS;
        res.size = 1.5;
        res.type = "thick";
        res.zIndex = 2;
      } else {
        res.color = DIM_EDGE;
        res.zIndex = 0;
      }
      return res;
    }
    if (ss === 1 || ds === 1) {
      res.color = DIM_EDGE;
      res.zIndex = 0;
    }
    return res;
  }

  refresh() {
    if (this.renderer) this.renderer.refresh({ skipIndexation: true });
    this.updateCounts();
  }

  visibleCount() {
    if (!this.graph) return { nodes: 0, edges: 0 };
    if (!this.filterPass || this.filters.value.mode !== "hide") return { nodes: this.graph.order, edges: this.graph.size };
    let nodes = 0;
    let edges = 0;
    const shown = (n) => this.nodeState(n, this.graph.getNodeAttributes(n)) !== 2;
    this.graph.forEachNode((n) => {
      if (shown(n)) nodes++;
    });
    this.graph.forEachEdge((e, a, s, d) => {
      if (shown(s) && shown(d)) edges++;
    });
    return { nodes, edges };
  }

  updateCounts() {
    const { nodes, edges } = this.visibleCount();
    this.nodeCountEl.dataset.count = String(nodes);
    this.nodeCountEl.textContent = t("explorer.nodes", { n: num(nodes) });
    this.edgeCountEl.dataset.count = String(edges);
    this.edgeCountEl.textContent = t("explorer.edges", { n: num(edges) });
    const total = this.graph ? this.graph.order : 0;
    let matching = total;
    if (this.filterPass) matching = this.filterPass.size;
    this.shownEl.textContent = this.filterPass ? ` · ${t("explorer.shown", { shown: num(matching), total: num(total) })}` : "";
    if (this.ctx.isCurrent(this)) {
      hooks.nodeCount = nodes;
      hooks.edgeCount = edges;
    }
    this.graphEl.setAttribute("aria-label", t("explorer.graph", { nodes: num(nodes), edges: num(edges) }));
  }

  computeFilter() {
    if (!this.filters.active() || !this.graph) {
      this.filterPass = null;
      hooks.filtered = null;
      return;
    }
    const pass = new Set();
    this.graph.forEachNode((id, a) => {
      if (this.filters.matches(a)) pass.add(id);
    });
    this.filterPass = pass;
    hooks.filtered = pass.size;
  }

  applyFilters() {
    this.computeFilter();
    this.refresh();
  }

  computeNeighbourhood() {
    if (!this.selected || !this.graph || !this.graph.hasNode(this.selected)) {
      this.neigh = null;
      return;
    }
    const g = this.graph;
    const adj = { get: (id) => (g.hasNode(id) ? g.neighbors(id) : []) };
    this.neigh = bfs(adj, this.selected, this.radius);
    this.panel.setNeighbourhood(this.neigh.size - 1);
  }

  // ---- selection and path -------------------------------------------

  select(id, { moveCamera = false, focusPanel = false, fromSearch = false } = {}) {
    if (!id) {
      this.selected = null;
      this.neigh = null;
      hooks.selected = null;
      this.panel.hide();
      this.refresh();
      this.graphEl.focus();
      return;
    }
    this.selected = id;
    hooks.selected = id;
    this.computeNeighbourhood();
    const drawn = this.graph && this.graph.hasNode(id);
    this.panel.show(id, {
      focus: focusPanel || fromSearch,
      basic: drawn ? this.graph.getNodeAttributes(id) : null,
      neighbourhood: this.neigh ? this.neigh.size - 1 : 0,
    });
    this.refresh();
    if (moveCamera && drawn && this.renderer) {
      const p = this.renderer.getNodeDisplayData(id);
      if (p) {
        const cam = this.renderer.getCamera();
        cam.animate({ x: p.x, y: p.y, ratio: Math.min(cam.ratio, 0.6) }, { duration: 400 });
      }
    }
  }

  setPath(result) {
    if (!result || result.none) {
      this.pathNodes = null;
      this.pathEdges = null;
      hooks.path = result
        ? { from: result.from, to: result.to, hops: null, members: [], highlightedEdges: 0 }
        : null;
      this.refresh();
      return;
    }
    this.pathNodes = new Set(result.members.map((m) => m.id));
    this.pathEdges = new Set();
    for (let i = 0; i + 1 < result.members.length; i++) {
      const a = result.members[i].id;
      const b = result.members[i + 1].id;
      if (this.graph && this.graph.hasNode(a) && this.graph.hasNode(b)) {
        const key = this.graph.edge(a, b) || (this.graph.hasEdge(edgeKey(a, b)) ? edgeKey(a, b) : null);
        if (key) this.pathEdges.add(key);
      }
    }
    hooks.path = {
      from: result.from,
      to: result.to,
      hops: result.hops,
      members: result.members.map((m) => m.id),
      highlightedEdges: this.pathEdges.size,
    };
    this.refresh();
    this.frame([...this.pathNodes]);
  }

  // frame moves the camera so that the nodes are all in view.
  frame(ids) {
    if (!this.renderer) return;
    const pts = ids.map((id) => this.renderer.getNodeDisplayData(id)).filter(Boolean);
    if (!pts.length) return;
    const xs = pts.map((p) => p.x);
    const ys = pts.map((p) => p.y);
    const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    const ratio = Math.min(1, Math.max(0.08, Math.max(x1 - x0, y1 - y0) * 1.4));
    this.renderer.getCamera().animate({ x: (x0 + x1) / 2, y: (y0 + y1) / 2, ratio }, { duration: 400 });
  }

  // ---- camera, keyboard, export --------------------------------------

  zoom(factor) {
    if (!this.renderer) return;
    const cam = this.renderer.getCamera();
    cam.animate({ ratio: cam.ratio * factor }, { duration: 200 });
  }

  resetCamera() {
    if (this.renderer) this.renderer.getCamera().animate({ x: 0.5, y: 0.5, ratio: 1, angle: 0 }, { duration: 300 });
  }

  graphKey(ev) {
    if (!this.renderer) return;
    const cam = this.renderer.getCamera();
    const step = 0.1 * cam.ratio;
    const moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
    if (moves[ev.key]) {
      ev.preventDefault();
      const [dx, dy] = moves[ev.key];
      cam.animate({ x: cam.x + dx, y: cam.y + dy }, { duration: 100 });
    } else if (ev.key === "+" || ev.key === "=") {
      ev.preventDefault();
      this.zoom(1 / 1.5);
    } else if (ev.key === "-") {
      ev.preventDefault();
      this.zoom(1.5);
    } else if (ev.key === "0") {
      ev.preventDefault();
      this.resetCamera();
    } else if (ev.key === "Escape" && this.selected) {
      ev.preventDefault();
      this.select(null);
    }
  }

  exportPNG() {
    if (!this.renderer) return;
    downloadAsPNG(this.renderer, { fileName: "grappe-network", backgroundColor: "#ffffff" });
  }

  // ---- layout ----------------------------------------------------------

  startLayout() {
    if (!this.graph || this.graph.order < 2) return;
    this.stopLayout();
    if (this.renderer) this.renderer.setCustomBBox(null);
    const n = this.graph.order;
    // Isolated members and lone pairs stay out of the force layout (it would
    // fling them away) on a ring around the rest, redrawn as the rest grows.
    const sats = satellites(this.graph);
    const satSet = new Set(sats);
    this.graph.updateEachNodeAttributes((id, a) => ({ ...a, fixed: satSet.has(id) }), { attributes: ["fixed"] });
    this.ring = ringAround(this.graph, sats);
    const settings = { ...inferSettings(this.graph), barnesHutOptimize: n > 1000, adjustSizes: false };
    this.layout = new FA2Layout(this.graph, {
      settings,
      // The reducer's result replaces the node's attributes: only move it.
      outputReducer: (id, attrs) => {
        const p = this.ring.get(id);
        if (p) {
          attrs.x = p.x;
          attrs.y = p.y;
        }
        return attrs;
      },
    });
    this.layout.start();
    this.setLayoutRunning(true);
    this.ringTimer = setInterval(() => {
      this.ring = ringAround(this.graph, sats);
    }, 250);
    const ms = Math.min(8000, 2000 + n * 0.4);
    this.layoutTimer = setTimeout(() => this.stopLayout(), ms);
  }

  stopLayout() {
    if (this.layoutTimer) clearTimeout(this.layoutTimer);
    if (this.ringTimer) clearInterval(this.ringTimer);
    this.layoutTimer = null;
    this.ringTimer = null;
    if (this.layout) {
      this.layout.stop();
      this.layout.kill();
      this.layout = null;
      const sats = satellites(this.graph);
      const ring = ringAround(this.graph, sats);
      for (const [id, p] of ring) this.graph.mergeNodeAttributes(id, p);
      // Keep the framing from now on, so that a live update does not move the view.
      if (this.renderer) this.renderer.setCustomBBox(this.renderer.getBBox());
    }
    this.setLayoutRunning(false);
  }

  toggleLayout() {
    if (this.layout) this.stopLayout();
    else this.startLayout();
  }

  setLayoutRunning(on) {
    hooks.layoutRunning = on;
    this.layoutBtn.textContent = on ? t("explorer.layoutStop") : t("explorer.layoutRun");
    this.layoutBtn.setAttribute("aria-pressed", on ? "true" : "false");
  }

  // ---- live --------------------------------------------------------------

  startLive() {
    const token = currentToken();
    if (!token) return;
    this.liveStop = subscribeNetwork(
      token,
      (v) => {
        hooks.liveEvents += 1;
        if (this.liveVersion !== null && v.version <= this.liveVersion) return;
        this.liveVersion = v.version;
        hooks.liveVersion = v.version;
        this.scheduleReload();
      },
      (status) => {
        hooks.live = status;
        this.ctx.setLive(status);
        // The subscription reaches the server a moment after the socket
        // opens, and a change made before it (or while the connection was
        // down) is announced to nobody: a second later, compare the
        // network drawn with the server's.
        if (status === "connected") {
          if (this.versionTimer) clearTimeout(this.versionTimer);
          this.versionTimer = setTimeout(() => this.checkVersion(), 1000);
        }
      },
    );
  }

  // checkVersion reloads the network when the server's is not the one
  // drawn.
  async checkVersion() {
    this.versionTimer = null;
    if (this.destroyed || !this.model) return;
    try {
      const { data } = await gql(VERSION_QUERY, {});
      if (!this.destroyed && data.network.asOf !== this.model.asOf) this.scheduleReload();
    } catch {
      // The next change, or the next connection, checks again.
    }
  }

  // scheduleReload reloads soon after a change, once for a burst: a change
  // while a reload is due joins it, one during a reload brings another
  // after it. The wait grows with the last reload's time, so that a large
  // network changing all the time is redrawn steadily, never starved.
  scheduleReload() {
    if (this.reloadTimer) return;
    this.reloadTimer = setTimeout(() => {
      this.reloadTimer = null;
      this.reload();
    }, Math.max(300, this.lastReloadMs || 0));
  }

  // reload fetches the network again and redraws it in place: selection,
  // path, filters and camera stay; positions are kept; new members are
  // placed near their neighbours.
  async reload() {
    if (this.reloading) {
      this.scheduleReload();
      return;
    }
    this.reloading = true;
    const started = performance.now();
    try {
      const model = await loadNetwork(this.role);
      if (this.destroyed) return;
      const wasRunning = !!this.layout;
      this.stopLayout();
      this.model = keepColours(model, this.model);
      updateGraph(this.graph, model);
      if (this.selected && !this.graph.hasNode(this.selected)) this.select(null);
      this.afterModel();
      this.refresh();
      if (wasRunning) this.startLayout();
      if (this.selected) this.panel.show(this.selected, { basic: this.graph.getNodeAttributes(this.selected), neighbourhood: this.neigh ? this.neigh.size - 1 : 0 });
      await this.path.refresh();
      this.ctx.setLive("connected", { updated: new Date() });
    } catch (e) {
      if (!this.destroyed) this.ctx.showError(e, "explorer", { transient: true });
    } finally {
      this.reloading = false;
      this.lastReloadMs = performance.now() - started;
    }
  }

  destroy() {
    this.destroyed = true;
    if (this.reloadTimer) clearTimeout(this.reloadTimer);
    if (this.versionTimer) clearTimeout(this.versionTimer);
    if (this.liveStop) this.liveStop();
    this.stopLayout();
    if (this.renderer) this.renderer.kill();
    this.renderer = null;
    this.panel.hide();
    this.el.remove();
  }
}

function webglAvailable() {
  try {
    const c = document.createElement("canvas");
    return !!(c.getContext("webgl2") || c.getContext("webgl"));
  } catch {
    return false;
  }
}
