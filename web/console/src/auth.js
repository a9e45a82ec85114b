// Who the console acts as: a demo role's token from the page (development),
// or a token the user pasted, kept in sessionStorage only.

import { h } from "./dom.js";
import { t } from "./i18n.js";

export const ROLES = ["ANALYST", "STAFF", "MEMBER", "PUBLIC"];
const STORAGE_KEY = "grappe.console.token";

// readConfig reads the #console element's data attributes (contract §2).
export function readConfig(root) {
  const d = root.dataset;
  let tokens = null;
  if (d.tokens) {
    try {
      const parsed = JSON.parse(d.tokens);
      if (parsed && typeof parsed === "object") tokens = parsed;
    } catch {
      tokens = null;
    }
  }
  return {
    endpoint: d.endpoint || "/graphql",
    exportBase: d.exportBase || "/export",
    tokens,
    defaultRole: d.defaultRole || null,
  };
}

// demoRole picks the demo role at load: ?role= when it names a demo token,
// else data-default-role, else the first role with a token.
export function demoRole(config) {
  if (!config.tokens) return null;
  const asked = new URLSearchParams(window.location.search).get("role");
  const wanted = asked ? asked.toUpperCase() : null;
  if (wanted && config.tokens[wanted]) return wanted;
  if (config.defaultRole && config.tokens[config.defaultRole]) return config.defaultRole;
  return ROLES.find((r) => config.tokens[r]) || Object.keys(config.tokens)[0] || null;
}

export function storedToken() {
  try {
    return window.sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

export function storeToken(token) {
  try {
    if (token) window.sessionStorage.setItem(STORAGE_KEY, token);
    else window.sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // sessionStorage unavailable (e.g. disabled): the token lives in memory only.
  }
}

// tokenForm renders the paste form; onToken receives the trimmed token.
export function tokenForm(onToken, message) {
  const input = h("textarea", {
    id: "token-input",
    "data-testid": "token-input",
    rows: 4,
    spellcheck: "false",
    autocomplete: "off",
    "aria-describedby": "token-help",
  });
  const status = h("p", { class: "form-error", role: "alert" });
  const form = h(
    "form",
    {
      class: "token-form card",
      "data-testid": "token-form",
      onsubmit: (ev) => {
        ev.preventDefault();
        const v = input.value.replace(/^\s*Bearer\s+/i, "").trim();
        if (!v) {
          status.textContent = t("token.empty");
          input.focus();
          return;
        }
        onToken(v);
      },
    },
    h("h2", null, t("token.title")),
    message ? h("p", { class: "error", "data-testid": "error", role: "alert" }, message) : null,
    h("p", { id: "token-help", class: "muted" }, t("token.help")),
    h("label", { for: "token-input" }, t("token.label")),
    input,
    status,
    h("button", { type: "submit", class: "primary", "data-testid": "token-submit" }, t("token.submit")),
  );
  queueMicrotask(() => input.focus());
  return form;
}

// canSee tells which views a role may open.
export function canSee(role, view) {
  if (view === "dashboard") return role === "ANALYST" || role === "STAFF";
  if (view === "explorer") return role === "ANALYST" || role === "STAFF" || role === "MEMBER";
  return false;
}
