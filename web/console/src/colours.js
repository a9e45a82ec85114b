// The colours of the explorer: communities and kinds of member. No import,
// so that node --test runs it as it is (test/colours.test.mjs).

// Community colours: dark enough for 3:1 contrast on white (WCAG non-text).
export const PALETTE = [
  "#1d5fa8", "#c2410c", "#15803d", "#7e22ce", "#b91c1c", "#0f766e",
  "#a16207", "#be185d", "#4338ca", "#4d7c0f", "#0369a1", "#9d174d",
];
export const OTHER_COLOUR = "#64748b";
export const KIND_COLOURS = {
  COMPANY: "#1d5fa8",
  LABORATORY: "#15803d",
  INSTITUTION: "#c2410c",
  MEDIA_PARTNER: "#7e22ce",
};

// communityColour: the palette for the largest communities, then hues
// spread by the golden angle at a lightness dark enough for 3:1 on white.
export function communityColour(c) {
  if (c === null || c === undefined || c < 0) return OTHER_COLOUR;
  if (c < PALETTE.length) return PALETTE[c];
  const hue = Math.round((c * 137.508) % 360);
  // Yellows and greens need to be darker than blues and reds for the same contrast.
  const light = hue > 40 && hue < 200 ? 30 : 42;
  return hslHex(hue, 0.7, light / 100);
}

// keepColours gives each community of model a colour slot (model.slots:
// community id → slot, read by colourOf). The API numbers communities by
// size, so a live update may renumber them: a community takes the slot of
// the previous community it shares the most members with, and the others
// the smallest free slots, so that what was drawn keeps its colours.
export function keepColours(model, previous) {
  const slots = new Map();
  model.slots = slots;
  const ids = [...new Set(model.nodes.map((n) => n.community).filter((c) => c !== null && c !== undefined))].sort((a, b) => a - b);
  if (!previous || !previous.slots) {
    for (const c of ids) slots.set(c, c);
    return model;
  }
  const before = new Map(previous.nodes.map((n) => [n.id, n.community]));
  const shared = new Map(); // "new old" → members in both
  for (const n of model.nodes) {
    const old = before.get(n.id);
    if (n.community === null || n.community === undefined || old === null || old === undefined) continue;
    const key = n.community + " " + old;
    shared.set(key, (shared.get(key) || 0) + 1);
  }
  const pairs = [...shared].map(([key, count]) => [...key.split(" ").map(Number), count]);
  pairs.sort((a, b) => b[2] - a[2] || a[0] - b[0] || a[1] - b[1]);
  const used = new Set();
  for (const [c, old] of pairs) {
    const slot = previous.slots.get(old);
    if (slots.has(c) || slot === undefined || used.has(slot)) continue;
    slots.set(c, slot);
    used.add(slot);
  }
  let free = 0;
  for (const c of ids) {
    if (slots.has(c)) continue;
    while (used.has(free)) free++;
    slots.set(c, free);
    used.add(free);
  }
  return model;
}

// colourOf is the colour of a community of model (see keepColours).
export function colourOf(model, c) {
  return communityColour(model.slots ? model.slots.get(c) : c);
}

// hslHex converts a colour to #rrggbb (sigma parses hex and rgb only).
function hslHex(hue, sat, light) {
  const a = sat * Math.min(light, 1 - light);
  const f = (n) => {
    const k = (n + hue / 30) % 12;
    const v = light - a * Math.max(-1, Math.min(k - 3, 9 - k, 1));
    return Math.round(v * 255).toString(16).padStart(2, "0");
  };
  return `#${f(0)}${f(8)}${f(4)}`;
}
