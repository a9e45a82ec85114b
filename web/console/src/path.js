// The shortest path between two members (Query.path), listed with the
// links' kinds and highlighted in the graph.

import { gql } from "./api.js";
import { h, clear } from "./dom.js";
import { t, label, num } from "./i18n.js";
import { PATH_QUERY } from "./documents.js";

export const MAX_HOPS = 12;


export class PathFinder {
  constructor(opts) {
    // opts: {nameOf(id), onChange(result|null), onSelect(id)}
    this.opts = opts;
    this.from = null;
    this.to = null;
    this.result = null; // {from, to, hops, members:[{id,name}], links:[{kind, from, to}]} or {from, to, none: true}
    this.seq = 0;
    this.el = h("section", { class: "path", "aria-live": "polite", hidden: true });
  }

  setFrom(id) {
    this.from = id;
    if (this.to === id) this.to = null;
    return this.run();
  }

  setTo(id) {
    this.to = id;
    if (this.from === id) this.from = null;
    return this.run();
  }

  clear() {
    this.from = null;
    this.to = null;
    this.result = null;
    this.seq++;
    this.render();
    this.opts.onChange(null);
  }

  // refresh asks again (after a live update of the network).
  refresh() {
    if (this.from && this.to) return this.run();
    return Promise.resolve();
  }

  async run() {
    const seq = ++this.seq;
    this.result = null;
    if (!(this.from && this.to)) {
      this.render();
      this.opts.onChange(null);
      return;
    }
    this.render(true);
    try {
      const { data } = await gql(PATH_QUERY, { from: this.from, to: this.to, maxHops: MAX_HOPS });
      if (seq !== this.seq) return;
      const p = data.path;
      this.result = p
        ? {
            from: this.from,
            to: this.to,
            hops: p.hops,
            members: p.members,
            links: p.links.map((l) => ({ id: l.id, kind: l.kind, from: l.from.id, to: l.to.id })),
          }
        : { from: this.from, to: this.to, none: true, hops: null, members: [], links: [] };
      this.render();
      this.opts.onChange(this.result);
    } catch (e) {
      if (seq !== this.seq) return;
      this.render(false, e);
      this.opts.onChange(null);
    }
  }

  render(loading = false, error = null) {
    const name = (id) => this.opts.nameOf(id) || id;
    const ends = h(
      "dl",
      { class: "facts" },
      h("dt", null, t("path.from")),
      h("dd", { "data-testid": "path-from-name" }, this.from ? name(this.from) : t("none")),
      h("dt", null, t("path.to")),
      h("dd", { "data-testid": "path-to-name" }, this.to ? name(this.to) : t("none")),
    );
    const clearBtn = h("button", { type: "button", class: "link", "data-testid": "path-clear", onclick: () => this.clear() }, t("path.clear"));
    if (!this.from && !this.to) {
      this.el.hidden = true;
      clear(this.el);
      return;
    }
    this.el.hidden = false;
    if (!(this.from && this.to)) {
      clear(
        this.el,
        h("h2", { class: "section-title" }, t("path.title")),
        ends,
        h("p", { class: "muted small" }, t("path.pick", { button: this.from ? t("panel.pathTo") : t("panel.pathFrom") })),
        clearBtn,
      );
      return;
    }
    const r = this.result;
    let body;
    if (loading) body = h("p", { class: "muted" }, t("path.loading"));
    else if (error) body = h("p", { class: "error", role: "alert", "data-testid": "error" }, t("error.server", { message: error.message }));
    else if (r && r.none) body = h("p", null, t("path.none", { max: MAX_HOPS }));
    else if (r) {
      const items = [];
      r.members.forEach((m, i) => {
        items.push(
          h(
            "li",
            { class: "path-member", "data-id": m.id },
            h("button", { type: "button", class: "link", onclick: () => this.opts.onSelect(m.id) }, m.name),
          ),
        );
        if (i < r.links.length) {
          items.push(h("li", { class: "path-link", "aria-label": label(r.links[i].kind) }, "↓ ", label(r.links[i].kind)));
        }
      });
      body = [h("p", { class: "hops" }, r.hops === 1 ? t("path.hop1") : t("path.hops", { n: num(r.hops) })), h("ol", { class: "path-list" }, items)];
    }
    // path-result appears once the answer is in (tests read data-hops at once).
    const attrs = { class: "path-result" };
    if (!loading) attrs["data-testid"] = "path-result";
    if (r && !r.none && !loading) attrs["data-hops"] = String(r.hops);
    clear(this.el, h("div", attrs, h("h2", { class: "section-title" }, t("path.title")), ends, body), clearBtn);
  }
}
