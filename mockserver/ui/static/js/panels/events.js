// The event outbox and the webhook endpoints with their deliveries and attempts.
import { call } from "../api.js";
import { badge, empty, h, pretty, replace, when } from "../dom.js";

const SHOWN = 200;

export function eventsPanel(doc) {
  const $ = (id) => doc.getElementById(id);
  let view = null;
  let last = "";
  let open = null; // [webhook id, delivery id] whose attempts are shown

  async function load() {
    const [events, hooks] = await Promise.all([call(`/_mock/events?limit=${SHOWN}`), call("/_mock/webhooks")]);
    const deliveries = await Promise.all(
      hooks.data.map((hook) => call(`/_mock/webhooks/${encodeURIComponent(hook.id)}/deliveries`)),
    );
    let detail = null;
    if (open) {
      const [hook, delivery] = open.map(encodeURIComponent);
      detail = await call(`/_mock/webhooks/${hook}/deliveries/${delivery}`).catch(() => null);
    }
    return { events: events.data, hooks: hooks.data, deliveries: deliveries.map((answer) => answer.data), detail };
  }

  function toggle(hookId, deliveryId) {
    open = open && open[1] === deliveryId ? null : [hookId, deliveryId];
    last = "";
    view.refresh();
  }

  function renderDeliveries(hook, deliveries, detail) {
    if (!deliveries.length) return empty("No deliveries yet.");
    return h(
      "table",
      {},
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          ["Delivery", "Event", "Status", "Attempts", "Last answer", "Next attempt"].map((name) =>
            h("th", { scope: "col" }, name),
          ),
        ),
      ),
      h(
        "tbody",
        {},
        deliveries.map((delivery) => [
          h(
            "tr",
            { dataset: { deliveryId: delivery.id } },
            h(
              "td",
              {},
              h(
                "button",
                {
                  type: "button",
                  class: "link mono",
                  "aria-expanded": detail && detail.id === delivery.id ? "true" : "false",
                  onclick: () => toggle(hook.id, delivery.id),
                },
                delivery.id,
              ),
            ),
            h("td", {}, badge(delivery.event_type, "info")),
            h("td", {}, badge(delivery.status, delivery.status === "failed" ? "failed" : delivery.status)),
            h("td", {}, String(delivery.attempt_count)),
            h(
              "td",
              {},
              delivery.response_status_code === null
                ? "–"
                : `${delivery.response_status_code} in ${delivery.response_duration_ms} ms`,
            ),
            h("td", { class: "nowrap" }, when(delivery.next_attempt_at)),
          ),
          detail && detail.id === delivery.id
            ? h("tr", {}, h("td", { colspan: "6" }, renderAttempts(detail)))
            : null,
        ]),
      ),
    );
  }

  function render({ events, hooks, deliveries, detail }) {
    replace(
      $("webhooks-body"),
      hooks.length
        ? hooks.map((hook, index) =>
            h(
              "article",
              { class: "target" },
              h(
                "header",
                {},
                h("span", { class: "mono" }, hook.url),
                badge(hook.is_active ? "active" : "inactive", hook.is_active ? "ok" : "idle"),
              ),
              h("p", { class: "muted" }, `${hook.id} · events: ${hook.events.join(", ") || "all"}`),
              renderDeliveries(hook, deliveries[index], detail),
            ),
          )
        : empty("No webhook endpoint: create one with POST /v1/webhooks."),
    );
    const newest = events.slice(-SHOWN).reverse();
    replace(
      $("events-body"),
      newest.length
        ? h(
            "ol",
            { class: "events-list", reversed: true },
            newest.map((event) =>
              h(
                "li",
                {},
                h(
                  "details",
                  {},
                  h(
                    "summary",
                    {},
                    h("span", { class: "mono" }, when(event.created_at)),
                    " ",
                    badge(event.event, "info"),
                    " ",
                    event.data.post_id
                      ? h("a", { href: `#posts/${encodeURIComponent(event.data.post_id)}`, class: "mono" }, event.data.post_id)
                      : "",
                    " ",
                    h("span", { class: "muted mono" }, event.id),
                  ),
                  h("pre", { class: "body" }, pretty(event.data)),
                ),
              ),
            ),
          )
        : empty("No events yet."),
    );
  }

  return {
    bind(v) {
      view = v;
    },
    reset() {
      last = "";
      open = null;
    },
    async refresh() {
      const data = await load();
      const text = JSON.stringify(data);
      if (text === last) return;
      last = text;
      render(data);
    },
  };
}

function renderAttempts(detail) {
  return [
    h("h4", {}, `Attempts of ${detail.id}`),
    detail.attempts.length
      ? h(
          "ol",
          { class: "events-list" },
          detail.attempts.map((attempt) =>
            h(
              "li",
              {},
              h("span", { class: "mono" }, when(attempt.created_at)),
              ` #${attempt.attempt_number} `,
              attempt.status_code === null ? badge("no answer", "failed") : badge(String(attempt.status_code), `s${String(attempt.status_code)[0]}`),
              ` ${attempt.duration_ms} ms `,
              attempt.error_message ? h("span", { class: "error" }, attempt.error_message) : null,
            ),
          ),
        )
      : empty("Not attempted yet."),
    h("h4", {}, "Payload"),
    h("pre", { class: "body" }, pretty(detail.payload)),
  ];
}
