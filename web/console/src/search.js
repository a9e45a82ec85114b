// Search a member by name among the loaded nodes, whatever the accents and
// case. Arrow keys move through the results, Enter selects, Escape closes.

import { h, clear, fold, uid } from "./dom.js";
import { t, label } from "./i18n.js";

const MAX_RESULTS = 12;

export class Search {
  constructor(onSelect) {
    this.onSelect = onSelect;
    this.index = [];
    this.active = -1;
    this.results = [];
    const listId = uid("search-results");
    this.input = h("input", {
      type: "search",
      id: uid("search"),
      "data-testid": "search",
      placeholder: t("search.placeholder"),
      autocomplete: "off",
      spellcheck: "false",
      role: "combobox",
      "aria-autocomplete": "list",
      "aria-expanded": "false",
      "aria-controls": listId,
      oninput: () => this.update(),
      onkeydown: (ev) => this.key(ev),
    });
    this.list = h("div", { id: listId, class: "search-results", role: "listbox", "aria-label": t("search.label") });
    this.status = h("p", { class: "sr-only", "aria-live": "polite" });
    this.el = h(
      "div",
      { class: "search", role: "search" },
      h("label", { for: this.input.id, class: "section-title" }, t("search.label")),
      this.input,
      this.list,
      this.status,
    );
  }

  // setNodes(nodes): [{id, name, kind, region}].
  setNodes(nodes) {
    this.index = nodes.map((n) => ({ ...n, key: fold(n.name) }));
    if (this.input.value) this.update();
  }

  find(query) {
    const q = fold(query);
    if (!q) return [];
    const words = q.split(" ");
    const prefix = [];
    const other = [];
    for (const n of this.index) {
      if (!words.every((w) => n.key.includes(w))) continue;
      if (n.key.startsWith(q) || n.key.includes(" " + q)) prefix.push(n);
      else other.push(n);
      if (prefix.length >= MAX_RESULTS) break;
    }
    const byName = (a, b) => a.key.localeCompare(b.key);
    return [...prefix.sort(byName), ...other.sort(byName)].slice(0, MAX_RESULTS);
  }

  update() {
    this.results = this.find(this.input.value);
    this.active = -1;
    this.render();
  }

  render() {
    const q = this.input.value.trim();
    clear(
      this.list,
      this.results.map((n, i) =>
        h(
          "button",
          {
            type: "button",
            id: `${this.list.id}-${i}`,
            class: "search-result" + (i === this.active ? " active" : ""),
            role: "option",
            "aria-selected": i === this.active ? "true" : "false",
            "data-testid": "search-result",
            "data-id": n.id,
            tabindex: "-1",
            onclick: () => this.choose(i),
            onkeydown: (ev) => this.key(ev, i),
          },
          h("span", { class: "name" }, n.name),
          h("span", { class: "meta" }, [label(n.kind), n.region].filter(Boolean).join(" · ")),
        ),
      ),
      q && !this.results.length ? h("p", { class: "muted small" }, t("search.none")) : null,
    );
    const open = this.results.length > 0;
    this.input.setAttribute("aria-expanded", open ? "true" : "false");
    if (this.active >= 0) this.input.setAttribute("aria-activedescendant", `${this.list.id}-${this.active}`);
    else this.input.removeAttribute("aria-activedescendant");
    this.status.textContent = q ? (this.results.length ? t("search.results", { n: this.results.length }) : t("search.none")) : "";
  }

  focusResult(i) {
    if (!this.results.length) return;
    this.active = (i + this.results.length) % this.results.length;
    const buttons = this.list.querySelectorAll("button");
    buttons.forEach((b, j) => {
      b.classList.toggle("active", j === this.active);
      b.setAttribute("aria-selected", j === this.active ? "true" : "false");
    });
    buttons[this.active].focus();
  }

  key(ev, i) {
    switch (ev.key) {
      case "ArrowDown":
        ev.preventDefault();
        this.focusResult(i === undefined ? 0 : i + 1);
        break;
      case "ArrowUp":
        ev.preventDefault();
        if (i === undefined || i === 0) {
          this.active = -1;
          this.input.focus();
        } else this.focusResult(i - 1);
        break;
      case "Enter":
        if (i === undefined) {
          ev.preventDefault();
          if (this.results.length) this.choose(this.active >= 0 ? this.active : 0);
        }
        break;
      case "Escape":
        if (this.input.value || this.results.length) {
          ev.preventDefault();
          ev.stopPropagation();
          this.input.value = "";
          this.update();
          this.input.focus();
        }
        break;
      default:
    }
  }

  choose(i) {
    const n = this.results[i];
    if (!n) return;
    this.onSelect(n.id, { fromSearch: true });
  }
}
