// window.grappeConsole: what the browser tests read (contract section 3).
// The views write into it as they load and draw; nothing reads it back.

export const scriptStart = performance.now();

export const hooks = {
  ready: false,
  role: null,
  view: null,
  nodeCount: 0,
  edgeCount: 0,
  selected: null,
  path: null,
  charts: {},
  layoutRunning: false,
  loadMs: null,
  // How many members pass the explorer's filters; null without a filter.
  filtered: null,
  // Beyond the contract, for diagnosis: the live subscription's state and
  // the version of the last network drawn.
  live: "off",
  liveVersion: null,
  liveEvents: 0,
};

window.grappeConsole = hooks;

export function resetHooks(view) {
  hooks.ready = false;
  hooks.view = view;
  hooks.nodeCount = 0;
  hooks.edgeCount = 0;
  hooks.selected = null;
  hooks.path = null;
  hooks.charts = {};
  hooks.layoutRunning = false;
  hooks.filtered = null;
}

// firstDraw records loadMs once: the time from the script's start to the
// first drawn graph.
export function firstDraw() {
  if (hooks.loadMs === null) hooks.loadMs = Math.round(performance.now() - scriptStart);
}
