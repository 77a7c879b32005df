// The request journal, newest first, with each entry's request and response bodies.
import { call, query, session } from "../api.js";
import { badge, empty, h, pretty, replace, when } from "../dom.js";

const SHOWN = 200;

export function requestsPanel(doc) {
  const $ = (id) => doc.getElementById(id);
  const filters = $("requests-filters");
  let view = null;
  let last = "";
  let open = null;

  function matches(entry) {
    const data = new FormData(filters);
    const method = data.get("method");
    const path = data.get("path").trim();
    const status = data.get("status");
    return (
      (!method || entry.method === method) &&
      (!path || entry.path.includes(path)) &&
      (!status || String(entry.status).startsWith(status))
    );
  }

  function render(entries) {
    const shown = entries.filter(matches).reverse();
    replace(
      $("requests-rows"),
      shown.length
        ? shown.map((entry) =>
            h(
              "tr",
              { class: entry.request_id === open ? "selected" : null, dataset: { requestId: entry.request_id } },
              h("td", { class: "nowrap mono" }, when(entry.at)),
              h("td", {}, entry.method),
              h(
                "td",
                { class: "text" },
                h(
                  "button",
                  {
                    type: "button",
                    class: "link mono",
                    "aria-expanded": entry.request_id === open ? "true" : "false",
                    onclick: () => {
                      open = open === entry.request_id ? null : entry.request_id;
                      last = "";
                      view.refresh();
                    },
                  },
                  entry.path + (Object.keys(entry.query || {}).length ? `?${new URLSearchParams(entry.query)}` : ""),
                ),
              ),
              h("td", {}, badge(String(entry.status), `s${String(entry.status)[0]}`)),
              h("td", { class: "nowrap" }, entry.latency_ms === undefined ? "–" : `${entry.latency_ms} ms`),
              h("td", { class: "mono" }, entry.request_id),
              h("td", { class: "mono" }, session.key),
            ),
          )
        : h("tr", {}, h("td", { colspan: "7" }, empty("No request matches."))),
    );
    const entry = entries.find((item) => item.request_id === open);
    replace(
      $("request-detail"),
      entry
        ? h(
            "div",
            { class: "detail-grid" },
            h(
              "div",
              {},
              h("h3", {}, `Request ${entry.method} ${entry.path}`, cut(entry.body_truncated, entry.body_size)),
              h("pre", { class: "body request-body" }, pretty(entry.body) || "(no body)"),
            ),
            h(
              "div",
              {},
              h("h3", {}, `Response ${entry.status}`, cut(entry.response_truncated, entry.response_size)),
              h("pre", { class: "body response-body" }, pretty(entry.response_body) || "(no body)"),
            ),
          )
        : null,
    );
  }

  filters.addEventListener("input", () => {
    last = "";
    view.refresh();
  });
  filters.addEventListener("submit", (event) => event.preventDefault());

  return {
    bind(v) {
      view = v;
    },
    reset() {
      last = "";
      open = null;
    },
    async refresh() {
      // The newest entries only: the journal keeps up to --journal-size, each with two bodies.
      const answer = await call(`/_mock/requests${query({ limit: SHOWN })}`);
      const text = JSON.stringify([answer, open]);
      if (text === last) return;
      last = text;
      render(answer.data);
    },
  };
}

function cut(truncated, size) {
  return truncated ? h("span", { class: "muted" }, ` (a text copy of the first part of ${size} bytes)`) : null;
}
