// The dashboard: the animation team's figures as charts (Chart.js), the
// dashboard's filter as controls, the at-risk members and the call list as
// tables (phone numbers for staff).

import {
  Chart, BarController, BarElement, LineController, LineElement, PointElement,
  DoughnutController, ArcElement, CategoryScale, LinearScale, Tooltip, Legend,
} from "chart.js";
import { gql } from "./api.js";
import { h, clear, uid } from "./dom.js";
import { t, label, num, fixed, date, dateTime, lang } from "./i18n.js";
import { hooks } from "./state.js";
import { PAGE, AT_RISK_MAX, DASHBOARD_QUERY, AT_RISK_QUERY, CALL_LIST_QUERY } from "./documents.js";

Chart.register(BarController, BarElement, LineController, LineElement, PointElement, DoughnutController, ArcElement, CategoryScale, LinearScale, Tooltip, Legend);
Chart.defaults.font.family = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
Chart.defaults.color = "#334155";
Chart.defaults.borderColor = "#e2e8f0";

const LANG = lang === "fr" ? "FR" : "EN";
const KINDS = ["COMPANY", "LABORATORY", "INSTITUTION", "MEDIA_PARTNER"];
const SIZES = ["MICRO", "SMALL", "MEDIUM", "LARGE"];
const COLOURS = ["#1d5fa8", "#c2410c", "#15803d", "#7e22ce", "#b91c1c", "#0f766e", "#a16207", "#be185d"];
const STATUS_COLOURS = { confirmed: "#15803d", pending: "#a16207", declined: "#b91c1c", ended: "#64748b" };

export class Dashboard {
  constructor(ctx) {
    // ctx: {role, showError(e, view)}
    this.ctx = ctx;
    this.staff = ctx.role === "STAFF";
    this.filter = { regions: [], kinds: [], tradeIds: [], sizeClasses: [] };
    this.charts = new Map();
    this.options = null; // the choices of the filter, from the first (unfiltered) answer
    this.seq = 0;
    this.destroyed = false;
    this.countEl = h("p", { class: "lead", "aria-live": "polite" });
    this.filterEl = h("details", { class: "dash-filter card", open: true });
    this.gridEl = h("div", { class: "charts" });
    this.tablesEl = h("div", { class: "tables" });
    this.el = h(
      "section",
      { class: "dashboard", "data-testid": "dashboard", "aria-labelledby": "dashboard-title" },
      h("div", { class: "dash-head" }, h("h2", { id: "dashboard-title" }, t("dashboard.title")), this.countEl),
      this.filterEl,
      this.gridEl,
      this.tablesEl,
    );
  }

  shown() {
    if (this.chartData) hooks.charts = this.chartData;
    for (const c of this.charts.values()) c.resize();
  }

  async mount(container) {
    container.appendChild(this.el);
    await this.load();
  }

  filterInput() {
    const f = {};
    for (const [k, v] of Object.entries(this.filter)) if (v.length) f[k] = v;
    return Object.keys(f).length ? f : null;
  }

  async load() {
    const seq = ++this.seq;
    this.ctx.busy(this);
    this.el.setAttribute("aria-busy", "true");
    try {
      const { data } = await gql(DASHBOARD_QUERY, { filter: this.filterInput(), lang: LANG, staff: this.staff });
      if (this.destroyed || seq !== this.seq) return;
      if (!this.options) this.buildFilter(data.dashboard);
      this.render(data);
      this.loaded = true;
      this.ctx.ready(this);
    } catch (e) {
      if (this.destroyed || seq !== this.seq) return;
      this.ctx.showError(e, "dashboard");
    } finally {
      this.el.removeAttribute("aria-busy");
    }
  }

  buildFilter(d) {
    this.options = {
      regions: d.byRegion.filter((r) => r.region).map((r) => [r.region, r.region]),
      kinds: KINDS.map((k) => [k, label(k)]),
      tradeIds: d.byTrade
        .filter((x) => x.count > 0)
        .map((x) => [x.trade.id, x.trade.name])
        .sort((a, b) => a[1].localeCompare(b[1])),
      sizeClasses: SIZES.map((s) => [s, label(s)]),
    };
    const group = (key, title) => {
      const gid = uid("dash-filter");
      return h(
        "fieldset",
        { class: "checks", "data-testid": `dashboard-filter-${key}` },
        h("legend", { id: gid }, title),
        h(
          "div",
          { class: "check-list" },
          this.options[key].map(([v, text]) =>
            h(
              "label",
              { class: "inline" },
              h("input", {
                type: "checkbox",
                value: v,
                checked: this.filter[key].includes(v),
                onchange: (ev) => {
                  const set = new Set(this.filter[key]);
                  if (ev.target.checked) set.add(v);
                  else set.delete(v);
                  this.filter[key] = [...set];
                  this.changed();
                },
              }),
              " ",
              text,
            ),
          ),
        ),
      );
    };
    clear(
      this.filterEl,
      h("summary", null, t("dashboard.filters")),
      h(
        "div",
        { class: "filter-groups" },
        group("regions", t("filters.region")),
        group("kinds", t("filters.kind")),
        group("sizeClasses", t("filters.sizeClass")),
        group("tradeIds", t("filters.trade")),
      ),
      h(
        "button",
        {
          type: "button",
          class: "link",
          "data-testid": "dashboard-filter-reset",
          onclick: () => {
            this.filter = { regions: [], kinds: [], tradeIds: [], sizeClasses: [] };
            this.filterEl.querySelectorAll("input[type=checkbox]").forEach((c) => (c.checked = false));
            this.changed();
          },
        },
        t("dashboard.reset"),
      ),
    );
  }

  changed() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.load(), 250);
  }

  render(data) {
    const d = data.dashboard;
    this.countEl.textContent = t("dashboard.members", { n: num(d.memberCount) });
    const quarter = (p) => {
      const [y, m] = p.split("-").map(Number);
      const q = Math.floor((m - 1) / 3) + 1;
      return lang === "fr" ? `T${q} ${y}` : `${y} Q${q}`;
    };
    const kindsEnum = (x) => label(x);
    const sizes = d.bySizeClass.map((x) => (x.sizeClass ? label(x.sizeClass) : t("filters.unknown")));
    const trades = d.byTrade.filter((x) => x.count > 0).slice(0, 20);
    const regions = d.byRegion.map((x) => x.region || t("filters.unknown"));
    const statuses = ["confirmed", "pending", "declined", "ended"];
    const statusSets = (rows) =>
      statuses.map((s) => ({ label: t(`chart.links.${s}`), data: rows.map((r) => r[s]), backgroundColor: STATUS_COLOURS[s], stack: "s" }));
    const specs = [
      {
        block: "growth",
        type: "bar",
        labels: d.growth.map((g) => g.period.slice(0, 4)),
        values: d.growth.map((g) => g.total),
        datasets: [
          { type: "line", label: t("chart.growth.total"), data: d.growth.map((g) => g.total), borderColor: COLOURS[0], backgroundColor: COLOURS[0], yAxisID: "y", pointRadius: 2 },
          { type: "bar", label: t("chart.growth.joined"), data: d.growth.map((g) => g.joined), backgroundColor: COLOURS[2], yAxisID: "y" },
          { type: "bar", label: t("chart.growth.left"), data: d.growth.map((g) => -g.left), backgroundColor: COLOURS[4], yAxisID: "y" },
        ],
        legend: true,
        wide: true,
      },
      { block: "sizeClasses", type: "bar", labels: sizes, values: d.bySizeClass.map((x) => x.count) },
      { block: "kinds", type: "doughnut", labels: d.byKind.map((x) => kindsEnum(x.kind)), values: d.byKind.map((x) => x.count) },
      { block: "regions", type: "bar", horizontal: true, labels: regions, values: d.byRegion.map((x) => x.count) },
      { block: "trades", type: "bar", horizontal: true, labels: trades.map((x) => x.trade.name), values: trades.map((x) => x.count), tall: true },
      {
        block: "links",
        type: "bar",
        labels: d.links.created.map((x) => quarter(x.period)),
        values: d.links.created.map((x) => x.count),
        seriesLabel: t("chart.links.count"),
        wide: true,
      },
      {
        block: "linkKinds",
        type: "bar",
        horizontal: true,
        labels: d.links.byKind.map((x) => label(x.kind)),
        values: d.links.byKind.map((x) => x.total),
        datasets: statusSets(d.links.byKind),
        legend: true,
        stacked: true,
      },
      {
        block: "linkOrigins",
        type: "bar",
        horizontal: true,
        labels: d.links.byOrigin.map((x) => label(x.origin)),
        values: d.links.byOrigin.map((x) => x.total),
        datasets: statusSets(d.links.byOrigin),
        legend: true,
        stacked: true,
      },
      {
        block: "groups",
        type: "bar",
        labels: d.groups.byTheme.map((x) => label(x.theme)),
        values: d.groups.byTheme.map((x) => x.count),
        datasets: [
          { label: t("chart.groups.active"), data: d.groups.byTheme.map((x) => x.active), backgroundColor: COLOURS[2], stack: "s" },
          { label: t("chart.groups.closed"), data: d.groups.byTheme.map((x) => x.count - x.active), backgroundColor: "#64748b", stack: "s" },
        ],
        legend: true,
        stacked: true,
        note: t("stats.meetings", { n: num(d.groups.meetingsHeld) }),
      },
      {
        block: "engagement",
        type: "bar",
        labels: d.engagement.distribution.map((x) => `${x.from}–${x.to}`),
        values: d.engagement.distribution.map((x) => x.count),
        note: t("stats.average", { n: fixed(d.engagement.averageScore, 1) }),
      },
    ];
    const charts = {};
    for (const s of specs) {
      charts[s.block] = { labels: s.labels, values: s.values };
      this.drawChart(s);
    }
    this.chartData = charts;
    if (this.ctx.isCurrent(this)) hooks.charts = charts;
    this.renderTables(d, data.callList);
  }

  drawChart(s) {
    const title = t(`chart.${s.block}`);
    let fig = this.gridEl.querySelector(`[data-testid="chart-${s.block}"]`);
    let canvas;
    if (!fig) {
      canvas = h("canvas", { role: "img" });
      fig = h(
        "figure",
        { class: "chart card" + (s.wide ? " wide" : "") + (s.tall ? " tall" : ""), "data-testid": `chart-${s.block}` },
        h("figcaption", null, title),
        h("div", { class: "chart-box" }, canvas),
        h("p", { class: "note muted small" }),
        h("details", { class: "chart-data" }, h("summary", null, t("chart.table")), h("div", { class: "table-wrap" })),
      );
      this.gridEl.appendChild(fig);
    } else {
      canvas = fig.querySelector("canvas");
    }
    fig.querySelector(".note").textContent = s.note || "";
    const summary = s.labels.map((l, i) => `${l} ${num(s.values[i])}`).join(", ");
    canvas.setAttribute("aria-label", t("chart.summary", { title, items: summary }));
    clear(
      fig.querySelector(".table-wrap"),
      h(
        "table",
        { class: "data" },
        h("tbody", null, s.labels.map((l, i) => h("tr", null, h("th", { scope: "row" }, l), h("td", { class: "num" }, num(s.values[i]))))),
      ),
    );
    const datasets =
      s.datasets ||
      [
        {
          label: s.seriesLabel || t("chart.count"),
          data: s.values,
          backgroundColor: s.type === "doughnut" ? COLOURS.slice(0, s.values.length) : COLOURS[0],
        },
      ];
    const old = this.charts.get(s.block);
    if (old) {
      old.data.labels = s.labels;
      old.data.datasets = datasets;
      old.update("none");
      return;
    }
    const scales =
      s.type === "doughnut"
        ? {}
        : {
            x: { stacked: !!s.stacked, ticks: { autoSkip: true, maxRotation: 0 }, grid: { display: !!s.horizontal } },
            y: { stacked: !!s.stacked, beginAtZero: true, ticks: categoryTicks(s.horizontal), grid: { display: !s.horizontal } },
          };
    const chart = new Chart(canvas, {
      type: s.type,
      data: { labels: s.labels, datasets },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        indexAxis: s.horizontal ? "y" : "x",
        plugins: {
          legend: { display: !!s.legend || s.type === "doughnut", position: s.type === "doughnut" ? "right" : "bottom" },
          tooltip: { enabled: true },
        },
        scales,
      },
    });
    this.charts.set(s.block, chart);
  }

  // renderTables draws the at-risk list and the call list, each with a
  // "Show more" button while the API holds more rows.
  renderTables(d, callList) {
    // What the at-risk table shows of a page: its rows, whether the API
    // holds more, and a note once its largest page is reached.
    const atRiskView = (rows, count) => [
      rows,
      rows.length < Math.min(count, AT_RISK_MAX),
      count > AT_RISK_MAX && rows.length >= AT_RISK_MAX ? t("atRisk.capped", { n: num(AT_RISK_MAX) }) : null,
    ];
    const atRisk = this.table({
      key: "at-risk",
      title: t("atRisk.title", { n: num(d.engagement.atRiskCount) }),
      help: t("atRisk.help"),
      none: t("atRisk.none"),
      head: [t("atRisk.member"), t("atRisk.inactiveSince"), [t("atRisk.days"), "num"]],
      row: (r) => [this.memberCell(r.member), h("td", null, date(r.inactiveSince)), h("td", { class: "num" }, num(r.inactiveDays))],
      member: (r) => r.member,
      more: async (shown) => {
        const first = Math.min(AT_RISK_MAX, shown.length + PAGE);
        const { data } = await gql(AT_RISK_QUERY, { filter: this.filterInput(), first, staff: this.staff });
        return atRiskView(data.dashboard.engagement.atRisk, data.dashboard.engagement.atRiskCount);
      },
    });
    atRisk.show(...atRiskView(d.engagement.atRisk, d.engagement.atRiskCount));
    let calls = null;
    if (callList) {
      let page = callList;
      calls = this.table({
        key: "call-list",
        title: t("callList.title", { n: num(callList.totalCount) }),
        none: t("callList.none"),
        head: [t("atRisk.member"), t("callList.reasons"), t("callList.last")],
        row: (r) => [
          this.memberCell(r.member),
          h("td", null, r.reasons.map((x) => label(x)).join(", ")),
          h("td", null, r.lastTouchpointAt ? dateTime(r.lastTouchpointAt) : t("callList.never")),
        ],
        member: (r) => r.member,
        more: async (shown) => {
          const { data } = await gql(CALL_LIST_QUERY, { after: page.pageInfo.endCursor, staff: this.staff });
          page = data.callList;
          return [[...shown, ...page.edges.map((e) => e.node)], page.pageInfo.hasNextPage];
        },
      });
      calls.show(callList.edges.map((e) => e.node), callList.pageInfo.hasNextPage);
    }
    clear(this.tablesEl, atRisk.el, calls && calls.el);
  }

  memberCell(m) {
    return h("td", null, h("a", { href: `#/explorer/${encodeURIComponent(m.id)}` }, m.name));
  }

  // table builds a card holding a table of members (with a contact and a
  // phone for staff) and its "Show more" button (data-testid KEY-more).
  // show(rows, hasMore, note) redraws it; more(rows shown) loads the next
  // rows and answers what show takes, which the button shows unless the
  // dashboard has been reloaded or left meanwhile.
  table({ key, title, help, none, head, row, member, more }) {
    const staff = this.staff;
    const contact = (m) => (m.contacts || []).find((x) => x.phone) || (m.contacts || [])[0] || null;
    const titleId = uid(key);
    const body = h("div");
    const status = h("p", { class: "muted small", "aria-live": "polite" });
    const tbl = {
      rows: [],
      el: h("section", { class: "card table-card", "aria-labelledby": titleId }, h("h3", { id: titleId }, title), help ? h("p", { class: "muted small" }, help) : null, body, status),
    };
    const button = h("button", {
      type: "button",
      class: "more",
      "data-testid": `${key}-more`,
      onclick: async () => {
        button.disabled = true;
        const seq = this.seq;
        try {
          const next = await more(tbl.rows);
          if (!this.destroyed && seq === this.seq) tbl.show(...next);
        } catch (e) {
          this.ctx.showError(e, "dashboard", { transient: true });
        } finally {
          button.disabled = false;
          // Redrawn under the new rows: a keyboard user goes on from it.
          if (button.isConnected) button.focus();
        }
      },
    }, t("table.more", { n: num(PAGE) }));
    tbl.show = (rows, hasMore, note) => {
      tbl.rows = rows;
      const cells = (r) => {
        const c = staff ? contact(member(r)) : null;
        return h(
          "tr",
          { "data-id": member(r).id },
          row(r),
          staff ? h("td", null, c ? c.name : t("none")) : null,
          staff ? h("td", { class: "phone" }, c && c.phone ? h("a", { href: `tel:${c.phone.replace(/[^+\d]/g, "")}` }, c.phone) : t("none")) : null,
        );
      };
      clear(
        body,
        rows.length
          ? h(
              "div",
              { class: "table-wrap" },
              h(
                "table",
                { class: "data", "data-testid": key, "data-rows": rows.length },
                h(
                  "thead",
                  null,
                  h(
                    "tr",
                    null,
                    head.map((x) => (Array.isArray(x) ? h("th", { scope: "col", class: x[1] }, x[0]) : h("th", { scope: "col" }, x))),
                    staff ? h("th", { scope: "col" }, t("atRisk.contact")) : null,
                    staff ? h("th", { scope: "col" }, t("atRisk.phone")) : null,
                  ),
                ),
                h("tbody", null, rows.map(cells)),
              ),
            )
          : h("p", { "data-testid": key }, none),
      );
      clear(status, rows.length ? t("table.shown", { n: num(rows.length) }) : null, note ? [" ", note] : null, hasMore ? [" ", button] : null);
    };
    return tbl;
  }

  destroy() {
    this.destroyed = true;
    if (this.timer) clearTimeout(this.timer);
    for (const c of this.charts.values()) c.destroy();
    this.charts.clear();
    this.el.remove();
  }
}

// The ticks of a chart's vertical axis: on a horizontal bar chart, its
// categories, every one shown, a long name cut with an ellipsis so that the
// bars keep their room (the full name is in the tooltip and the data table).
function categoryTicks(horizontal) {
  if (!horizontal) return { autoSkip: true };
  return {
    autoSkip: false,
    callback(value) {
      const label = String(this.getLabelForValue(value));
      return label.length > 22 ? label.slice(0, 21) + "…" : label;
    },
  };
}
