// The request journal, newest first, with each entry's request and response bodies.
import { call, query } from "../api.js";
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
    // The mock's injected delay (a scenario's latency_ms) gets a column only when some request had one.
    const delayed = shown.some((entry) => entry.latency_ms > 0);
    replace($("requests-head"), headRow(delayed));
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
              h(
                "td",
                {},
                badge(String(entry.status), `s${String(entry.status)[0]}`),
                entry.warnings && entry.warnings.length
                  ? badge(`${entry.warnings.length} warning${entry.warnings.length === 1 ? "" : "s"}`, "warn")
                  : null,
              ),
              delayed ? h("td", { class: "nowrap delay" }, entry.latency_ms ? `${entry.latency_ms} ms` : "") : null,
              h("td", { class: "mono" }, entry.request_id),
            ),
          )
        : h("tr", {}, h("td", { colspan: delayed ? "6" : "5" }, empty("No request matches."))),
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
              warningList(entry.warnings || []),
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

function headRow(delayed) {
  const names = ["Time", "Method", "Path", "Status", delayed ? "Injected delay" : null, "Request id"];
  return h("tr", {}, names.filter(Boolean).map((name) => h("th", { scope: "col" }, name)));
}

// What the mock read differently from what was sent (X-Mock-Warnings): the likeliest cause of
// "my field was ignored".
function warningList(warnings) {
  if (!warnings.length) return null;
  return h(
    "ul",
    { class: "warnings", "aria-label": "Warnings" },
    warnings.map((warning) => h("li", {}, warning)),
  );
}

function cut(truncated, size) {
  return truncated ? h("span", { class: "muted" }, ` (a text copy of the first part of ${size} bytes)`) : null;
}
