// The grappe console's entry point: reads the page's #console element,
// picks the token (a demo role's in development, a pasted one otherwise),
// asks who the viewer is, and routes between the explorer (#/explorer) and
// the dashboard (#/dashboard).

import { hooks, resetHooks } from "./state.js";
import { configure, gql, ApiError } from "./api.js";
import { readConfig, demoRole, storedToken, storeToken, tokenForm, canSee, ROLES } from "./auth.js";
import { h, clear } from "./dom.js";
import { t, lang, time } from "./i18n.js";
import { Explorer } from "./explorer.js";
import { Dashboard } from "./dashboard.js";
import { VIEWER_QUERY } from "./documents.js";


class App {
  constructor(root) {
    this.root = root;
    this.config = readConfig(root);
    this.role = null;
    this.own = null;
    this.views = {};
    this.current = null;
    this.dev = !!this.config.tokens;
    configure({ endpoint: this.config.endpoint });
    document.documentElement.lang = lang;
    document.title = t("title");

    this.tabsEl = h("nav", { class: "tabs", "aria-label": t("nav.label") });
    this.liveEl = h("span", { class: "live", "data-testid": "live-status", "aria-live": "polite", hidden: true });
    this.whoEl = h("div", { class: "who" });
    this.messagesEl = h("div", { class: "messages" });
    this.mainEl = h("main", { id: "main", class: "main", tabindex: "-1" });
    clear(
      root,
      h("a", { class: "skip", href: "#main", onclick: (ev) => { ev.preventDefault(); this.mainEl.focus(); } }, t("skip")),
      h("header", { class: "top" }, h("h1", null, t("title")), this.tabsEl, this.liveEl, this.whoEl),
      this.messagesEl,
      this.mainEl,
    );
    window.addEventListener("hashchange", () => this.route());
  }

  start() {
    resetHooks(this.viewName());
    hooks.role = null;
    for (const v of Object.values(this.views)) v.destroy();
    this.views = {};
    this.current = null;
    clear(this.messagesEl);
    clear(this.mainEl);
    clear(this.tabsEl);
    this.liveEl.hidden = true;
    let token = null;
    if (this.dev) {
      const role = demoRole(this.config);
      token = role ? this.config.tokens[role] : null;
      this.renderRoleSwitch(role);
    } else {
      token = storedToken();
    }
    if (!token) {
      this.askToken();
      return;
    }
    configure({ token });
    this.identify();
  }

  askToken(message) {
    clear(this.whoEl);
    clear(this.tabsEl);
    hooks.ready = false;
    clear(
      this.mainEl,
      tokenForm((tok) => {
        storeToken(tok);
        this.start();
      }, message),
    );
  }

  async identify() {
    clear(this.mainEl, h("p", { class: "muted", role: "status" }, t("loading")));
    try {
      const { data } = await gql(VIEWER_QUERY);
      this.role = data.viewer.role;
      this.own = data.viewer.member ? data.viewer.member.id : null;
    } catch (e) {
      clear(this.mainEl);
      this.showError(e, null);
      return;
    }
    hooks.role = this.role;
    clear(this.mainEl);
    if (!this.dev) this.renderWho();
    this.renderTabs();
    this.route();
  }

  renderRoleSwitch(role) {
    const roles = ROLES.filter((r) => this.config.tokens[r]);
    for (const r of Object.keys(this.config.tokens)) if (!roles.includes(r)) roles.push(r);
    const sel = h(
      "select",
      {
        id: "role-switch",
        "data-testid": "role-switch",
        onchange: () => {
          const url = new URL(window.location.href);
          url.searchParams.set("role", sel.value);
          window.history.replaceState(null, "", url);
          this.start();
        },
      },
      roles.map((r) => h("option", { value: r, selected: r === role }, t(`role.${r}`) === `role.${r}` ? r : t(`role.${r}`))),
    );
    clear(this.whoEl, h("label", { for: "role-switch" }, t("role.label")), sel);
  }

  renderWho() {
    clear(
      this.whoEl,
      h("span", { class: "muted" }, t("role.as", { role: t(`role.${this.role}`) })),
      h(
        "button",
        {
          type: "button",
          class: "link",
          "data-testid": "token-forget",
          onclick: () => {
            storeToken(null);
            configure({ token: null });
            this.start();
          },
        },
        t("token.forget"),
      ),
    );
  }

  renderTabs() {
    const tabs = [["explorer", t("tab.explorer")]];
    if (canSee(this.role, "dashboard")) tabs.push(["dashboard", t("tab.dashboard")]);
    clear(
      this.tabsEl,
      tabs.map(([v, text]) =>
        h(
          "a",
          {
            href: `#/${v}`,
            "data-testid": `tab-${v}`,
            "data-view": v,
            // Not ready from the click on, until the view shown has drawn (hashchange comes later).
            onclick: () => {
              if (hooks.view !== v) {
                hooks.ready = false;
                hooks.view = v;
              }
            },
          },
          text,
        ),
      ),
    );
  }

  viewName() {
    return /^#\/dashboard\b/.test(window.location.hash) ? "dashboard" : "explorer";
  }

  route() {
    if (!this.role) return;
    const view = this.viewName();
    const m = window.location.hash.match(/^#\/explorer\/(.+)$/);
    for (const a of this.tabsEl.querySelectorAll("a")) {
      if (a.dataset.view === view) a.setAttribute("aria-current", "page");
      else a.removeAttribute("aria-current");
    }
    hooks.view = view;
    if (this.current && this.current.name === view) {
      if (m) this.current.showMember(decodeURIComponent(m[1]));
      return;
    }
    if (this.current) this.current.el.hidden = true;
    clear(this.messagesEl);
    for (const el of this.mainEl.querySelectorAll(".forbidden")) el.remove();
    if (!canSee(this.role, view)) {
      this.current = null;
      this.mainEl.appendChild(
        h("div", { class: "forbidden card", "data-testid": "forbidden", role: "alert" }, t(`forbidden.${view}`, { role: t(`role.${this.role}`) })),
      );
      hooks.ready = true;
      return;
    }
    let v = this.views[view];
    if (v) {
      this.current = v;
      v.el.hidden = false;
      hooks.ready = !!v.loaded;
      v.shown();
    } else {
      const ctx = {
        role: this.role,
        own: this.own,
        showError: (e, name, opts) => this.showError(e, name, opts),
        setLive: (status, info) => this.setLive(status, info),
        ready: (x) => {
          if (x === this.current) hooks.ready = true;
        },
        busy: (x) => {
          if (x === this.current) hooks.ready = false;
        },
        isCurrent: (x) => x === this.current,
      };
      v = view === "dashboard" ? new Dashboard(ctx) : new Explorer(ctx);
      v.name = view;
      this.views[view] = v;
      this.current = v;
      hooks.ready = false;
      v.mount(this.mainEl);
    }
    if (m && v.showMember) v.showMember(decodeURIComponent(m[1]));
  }

  setLive(status, info) {
    this.liveEl.hidden = false;
    this.liveEl.dataset.status = status;
    const text = status === "connected" ? t("live.connected") : status === "connecting" ? t("live.connecting") : t("live.offline");
    this.liveEl.textContent = info && info.updated ? `${text} · ${t("live.updated", { time: time(info.updated) })}` : text;
  }

  // showError explains what went wrong in plain words: an expired token, a
  // refused role, an unreachable server.
  showError(e, view, { transient = false, plain = false } = {}) {
    const err = e instanceof ApiError ? e : new ApiError("ERROR", String((e && e.message) || e));
    if (err.code === "UNAUTHENTICATED") {
      if (this.dev) {
        this.renderMessage(t("error.UNAUTHENTICATED.dev"), { reload: true });
      } else {
        storeToken(null);
        configure({ token: null });
        this.askToken(t("error.UNAUTHENTICATED"));
      }
      return;
    }
    if (err.code === "FORBIDDEN" && !transient) {
      const role = this.role ? t(`role.${this.role}`) : "?";
      const box = h(
        "div",
        { class: "forbidden card", "data-testid": "forbidden", role: "alert" },
        h("p", { "data-testid": "error" }, view ? t(`forbidden.${view}`, { role }) : t("error.FORBIDDEN", { role })),
      );
      clear(this.messagesEl, box);
      if (view) hooks.ready = true;
      return;
    }
    const text = plain ? err.message : err.code === "NETWORK" ? t("error.network") : t("error.server", { message: err.message });
    this.renderMessage(text, { retry: !transient && !plain });
  }

  renderMessage(text, { retry = false, reload = false } = {}) {
    clear(
      this.messagesEl,
      h(
        "div",
        { class: "error-box", role: "alert" },
        h("p", { "data-testid": "error", class: "error" }, text),
        retry ? h("button", { type: "button", onclick: () => this.start() }, t("error.retry")) : null,
        reload ? h("button", { type: "button", onclick: () => window.location.reload() }, t("error.retry")) : null,
        h("button", { type: "button", class: "icon", "aria-label": t("panel.close"), onclick: () => clear(this.messagesEl) }, "×"),
      ),
    );
  }
}

function boot() {
  const root = document.getElementById("console");
  if (!root) return;
  const app = new App(root);
  app.start();
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", boot);
else boot();
