// Filters of the explorer: region, trade, kind and size class; members not
// matching are dimmed or hidden. The "key members" toggle shows the brokers
// and articulation members.

import { h, clear, uid } from "./dom.js";
import { t, label } from "./i18n.js";
import { tradeOptions, subtree } from "./trades.js";

const KINDS = ["COMPANY", "LABORATORY", "INSTITUTION", "MEDIA_PARTNER"];
const SIZES = ["MICRO", "SMALL", "MEDIUM", "LARGE"];
const UNKNOWN = "__unknown__";

export class Filters {
  constructor(onChange, { keyMembers = true } = {}) {
    this.onChange = onChange;
    this.value = { region: "", trade: "", kind: "", sizeClass: "", mode: "dim", key: false };
    this.selects = {};
    this.el = h("section", { class: "filters", "aria-labelledby": "filters-title" });
    this.keyMembers = keyMembers;
  }

  // setNodes rebuilds the choices from the nodes drawn, keeping the values.
  // A trade stands for its sub-trades too (taxonomy: [{id, name, parent}]),
  // and the choices show the tree.
  setNodes(nodes, taxonomy = []) {
    this.taxonomy = taxonomy;
    const regions = new Map();
    for (const n of nodes) {
      const r = n.region || UNKNOWN;
      regions.set(r, (regions.get(r) || 0) + 1);
    }
    const regionOpts = [...regions.entries()]
      .sort((a, b) => (a[0] === UNKNOWN) - (b[0] === UNKNOWN) || a[0].localeCompare(b[0]))
      .map(([r, c]) => [r, `${r === UNKNOWN ? t("filters.unknown") : r} (${c})`]);
    // Indented with non-breaking spaces: an option holds text only.
    const tradeOpts = tradeOptions(taxonomy, nodes).map((o) => [o.id, `${"\u00a0\u00a0\u00a0".repeat(o.depth)}${o.name} (${o.count})`]);
    const kindOpts = KINDS.map((k) => [k, label(k)]);
    const sizeOpts = [...SIZES.map((s) => [s, label(s)]), [UNKNOWN, t("filters.unknown")]];

    const select = (key, opts) => {
      const id = uid(`filter-${key}`);
      const sel = h(
        "select",
        { id, "data-testid": `filter-${key}`, onchange: () => this.set(key, sel.value) },
        h("option", { value: "" }, t("filters.all")),
        opts.map(([v, text]) => h("option", { value: v, selected: this.value[key] === v }, text)),
      );
      if (this.value[key] && !opts.some(([v]) => v === this.value[key])) this.value[key] = "";
      if (key === "trade") this.trades = this.value.trade ? subtree(this.taxonomy, this.value.trade) : null;
      this.selects[key] = sel;
      return h("div", { class: "field" }, h("label", { for: id }, t(`filters.${key}`)), sel);
    };
    const modeName = uid("filter-mode");
    const radio = (v) =>
      h(
        "label",
        { class: "inline" },
        h("input", {
          type: "radio",
          name: modeName,
          value: v,
          checked: this.value.mode === v,
          "data-testid": `filter-mode-${v}`,
          onchange: () => this.set("mode", v),
        }),
        " ",
        t(`filters.${v}`),
      );
    const keyId = uid("key-toggle");
    clear(
      this.el,
      h("h2", { id: "filters-title", class: "section-title" }, t("filters.title")),
      select("region", regionOpts),
      select("trade", tradeOpts),
      select("kind", kindOpts),
      select("sizeClass", sizeOpts),
      h("fieldset", { class: "mode" }, h("legend", null, t("filters.mode")), radio("dim"), radio("hide")),
      h("button", { type: "button", class: "link", "data-testid": "filter-reset", onclick: () => this.reset() }, t("filters.reset")),
      this.keyMembers
        ? h(
            "div",
            { class: "key-members" },
            h(
              "label",
              { class: "inline", for: keyId },
              h("input", {
                type: "checkbox",
                id: keyId,
                "data-testid": "key-toggle",
                checked: this.value.key,
                onchange: (ev) => this.set("key", ev.target.checked),
              }),
              " ",
              t("filters.keyToggle"),
            ),
            h(
              "ul",
              { class: "legend small" },
              h("li", null, h("span", { class: "swatch broker", "aria-hidden": "true" }), t("filters.broker")),
              h("li", null, h("span", { class: "swatch articulation", "aria-hidden": "true" }), t("filters.articulation")),
              h("li", null, h("span", { class: "swatch both", "aria-hidden": "true" }), t("filters.both")),
            ),
          )
        : null,
    );
  }

  set(key, v) {
    this.value[key] = v;
    if (key === "trade") this.trades = v ? subtree(this.taxonomy || [], v) : null;
    this.onChange(this.value);
  }

  reset() {
    Object.assign(this.value, { region: "", trade: "", kind: "", sizeClass: "" });
    this.trades = null;
    for (const sel of Object.values(this.selects)) sel.value = "";
    this.onChange(this.value);
  }

  active() {
    const v = this.value;
    return !!(v.region || v.trade || v.kind || v.sizeClass);
  }

  // matches(attrs) tells whether a node's attributes pass the filters.
  matches(a) {
    const v = this.value;
    if (v.region && (a.region || UNKNOWN) !== v.region) return false;
    if (v.kind && a.kind !== v.kind) return false;
    if (v.sizeClass && (a.sizeClass || UNKNOWN) !== v.sizeClass) return false;
    if (this.trades && !(a.trades || []).some((tr) => this.trades.has(tr.id))) return false;
    return true;
  }
}
