// The side panel of the selected member: profile, centrality, partners and
// recommended partners (with reasons), the neighbourhood's radius, and the
// buttons that make it a path's end.

import { gql, fieldError } from "./api.js";
import { h, clear, uid } from "./dom.js";
import { t, label, num, fixed, date, lang } from "./i18n.js";
import { memberQuery } from "./documents.js";

const LANG = lang === "fr" ? "FR" : "EN";


export class Panel {
  constructor(opts) {
    // opts: {role, own, onSelect, onClose, onPathFrom, onPathTo, onRadius, inGraph}
    this.opts = opts;
    this.id = null;
    this.radius = 1;
    this.abort = null;
    this.data = null;
    this.el = h("aside", {
      class: "panel",
      "data-testid": "member-panel",
      "aria-label": t("panel.label"),
      tabindex: "-1",
      hidden: true,
    });
  }

  full(id) {
    const r = this.opts.role;
    return r === "ANALYST" || r === "STAFF" || (r === "MEMBER" && id === this.opts.own);
  }

  async show(id, { focus = false, basic = null, neighbourhood = 0 } = {}) {
    const same = id === this.id;
    this.id = id;
    this.neighbourhood = neighbourhood;
    this.el.hidden = false;
    if (!same || !this.data) {
      this.data = null;
      this.ctrls = this.controls();
      this.renderBasic(basic);
    }
    if (focus) this.el.focus();
    if (this.abort) this.abort.abort();
    const ctrl = new AbortController();
    this.abort = ctrl;
    try {
      const { data, errors } = await gql(memberQuery(this.full(id)), { id, lang: LANG }, { signal: ctrl.signal });
      if (ctrl.signal.aborted || this.id !== id) return;
      this.data = data.member;
      this.errors = errors;
      this.render();
    } catch (e) {
      if (e && e.name === "AbortError") return;
      if (this.id !== id) return;
      this.renderError(e);
    }
  }

  hide() {
    if (this.abort) this.abort.abort();
    this.id = null;
    this.data = null;
    this.el.hidden = true;
    clear(this.el);
  }

  setNeighbourhood(n) {
    this.neighbourhood = n;
    const help = this.el.querySelector(".radius-help");
    if (help) help.textContent = t("panel.neighbourhoodHelp", { n: num(n), r: this.radius });
  }

  header(name) {
    return h(
      "div",
      { class: "panel-head" },
      h("h2", { "data-testid": "member-name", class: "member-name" }, name),
      h(
        "button",
        { type: "button", class: "icon", "aria-label": t("panel.close"), title: t("panel.close"), "data-testid": "panel-close", onclick: () => this.opts.onClose() },
        "×",
      ),
    );
  }

  controls() {
    const id = this.id;
    const rid = uid("radius");
    const memberOnly = this.opts.role === "MEMBER";
    const radius = h(
      "select",
      {
        id: rid,
        "data-testid": "radius",
        onchange: (ev) => {
          this.radius = Number(ev.target.value);
          this.opts.onRadius(this.radius);
        },
      },
      [1, 2, 3].map((r) => h("option", { value: String(r), selected: r === this.radius }, String(r))),
    );
    return h(
      "div",
      { class: "panel-controls" },
      h(
        "div",
        { class: "field inline-field" },
        h("label", { for: rid }, t("panel.neighbourhood")),
        radius,
        h("span", { class: "radius-help muted small" }, t("panel.neighbourhoodHelp", { n: num(this.neighbourhood || 0), r: this.radius })),
      ),
      h(
        "div",
        { class: "buttons" },
        h(
          "button",
          {
            type: "button",
            "data-testid": "path-from",
            // A MEMBER may ask a path only from itself.
            disabled: memberOnly && id !== this.opts.own,
            onclick: () => this.opts.onPathFrom(id),
          },
          t("panel.pathFrom"),
        ),
        h("button", { type: "button", "data-testid": "path-to", onclick: () => this.opts.onPathTo(id) }, t("panel.pathTo")),
      ),
    );
  }

  renderBasic(basic) {
    clear(
      this.el,
      this.header(basic ? basic.label : "…"),
      this.ctrls,
      basic
        ? h(
            "dl",
            { class: "facts" },
            fact(t("panel.kind"), label(basic.kind)),
            fact(t("panel.region"), basic.region || t("none")),
          )
        : null,
      h("p", { class: "muted", "aria-live": "polite" }, t("loading")),
    );
  }

  renderError(e) {
    const msg = e && e.code === "FORBIDDEN" ? t("panel.withheld") : t("error.server", { message: e.message });
    this.el.appendChild(h("p", { class: "error", role: "alert", "data-testid": "error" }, msg));
  }

  memberLink(m) {
    const drawn = this.opts.inGraph(m.id);
    return h(
      "button",
      {
        type: "button",
        class: "link member-link",
        "data-id": m.id,
        title: drawn ? undefined : t("panel.notInGraph"),
        onclick: () => this.opts.onSelect(m.id, { focusPanel: true }),
      },
      m.name,
    );
  }

  render() {
    const m = this.data;
    if (!m) {
      clear(this.el, this.header(t("none")), h("p", { class: "muted" }, t("panel.withheld")));
      return;
    }
    const full = this.full(m.id);
    const c = m.centrality;
    const partners = m.partners;
    const withheld = (f) => !!fieldError(this.errors || [], "member", f);
    const sections = [
      this.header(m.name),
      this.ctrls,
      h(
        "section",
        { "aria-labelledby": "panel-profile" },
        h("h3", { id: "panel-profile" }, t("panel.profile")),
        m.description ? h("p", { class: "description" }, m.description) : null,
        h(
          "dl",
          { class: "facts" },
          fact(t("panel.kind"), label(m.kind)),
          m.status !== "ACTIVE" ? fact(t("panel.status"), label(m.status)) : null,
          fact(t("panel.sizeClass"), m.sizeClass ? label(m.sizeClass) : t("none")),
          m.headcount !== null && m.headcount !== undefined ? fact(t("panel.headcount"), num(m.headcount)) : null,
          fact(t("panel.city"), m.address?.city || t("none")),
          fact(t("panel.region"), m.address?.region || t("none")),
          fact(t("panel.trades"), m.trades.map((x) => x.name).join(", ") || t("none")),
          m.joinedOn ? fact(t("panel.joinedOn"), date(m.joinedOn)) : null,
          m.website && /^https?:\/\//i.test(m.website)
            ? fact(t("panel.website"), h("a", { href: m.website, rel: "noopener noreferrer", target: "_blank" }, m.website.replace(/^https?:\/\//i, "")))
            : null,
        ),
      ),
    ];
    if (full && c) {
      sections.push(
        h(
          "section",
          { "aria-labelledby": "panel-centrality" },
          h("h3", { id: "panel-centrality" }, t("panel.centrality")),
          h(
            "dl",
            { class: "facts", "data-testid": "centrality" },
            fact(t("panel.degree"), num(c.degree)),
            fact(t("panel.pageRank"), fixed(c.pageRank, 4)),
            fact(t("panel.betweenness"), fixed(c.betweenness, 4)),
            fact(t("panel.closeness"), fixed(c.closeness, 3)),
            fact(t("panel.clustering"), fixed(c.clustering, 3)),
            fact(t("panel.communityOf"), c.community ? t("panel.communityValue", { id: c.community.id, size: num(c.community.size) }) : t("none")),
          ),
        ),
      );
    }
    if (partners) {
      const shown = partners.edges.map((e) => e.node);
      sections.push(
        h(
          "section",
          { "aria-labelledby": "panel-partners" },
          h("h3", { id: "panel-partners" }, t("panel.partnersCount", { n: num(partners.totalCount) })),
          shown.length
            ? h("ul", { class: "members", "data-testid": "partners" }, shown.map((p) => h("li", null, this.memberLink(p))))
            : h("p", { class: "muted" }, t("panel.noPartners")),
          partners.totalCount > shown.length ? h("p", { class: "muted small" }, t("panel.morePartners", { n: num(partners.totalCount - shown.length) })) : null,
        ),
      );
    } else if (withheld("partners")) {
      sections.push(h("p", { class: "muted" }, t("panel.withheld")));
    }
    if (full && m.recommendedPartners) {
      const recs = m.recommendedPartners;
      sections.push(
        h(
          "section",
          { "aria-labelledby": "panel-recommended" },
          h("h3", { id: "panel-recommended" }, t("panel.recommended")),
          recs.length
            ? h(
                "ol",
                { class: "members recommendations", "data-testid": "recommendations" },
                recs.map((r) =>
                  h(
                    "li",
                    null,
                    this.memberLink(r.member),
                    h("span", { class: "muted small" }, " · ", t("panel.score", { score: fixed(r.score, 2) })),
                    h(
                      "ul",
                      { class: "reasons" },
                      r.reasons.map((x) => h("li", null, h("strong", null, label(x.kind)), " — ", x.detail)),
                    ),
                  ),
                ),
              )
            : h("p", { class: "muted" }, t("panel.noRecommended")),
        ),
      );
    }
    clear(this.el, ...sections);
  }
}

function fact(term, value) {
  return [h("dt", null, term), h("dd", null, value)];
}
