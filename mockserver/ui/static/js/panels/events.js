// The event outbox and the webhook endpoints with their deliveries and attempts.
import { call } from "../api.js";
import { badge, empty, h, pretty, replace, when } from "../dom.js";

const SHOWN = 200;

export function eventsPanel(doc) {
  const $ = (id) => doc.getElementById(id);
  let last = "";

  async function load() {
    const [events, hooks] = await Promise.all([call("/_mock/events"), call("/_mock/webhooks")]);
    const deliveries = await Promise.all(
      hooks.data.map((hook) => call(`/_mock/webhooks/${encodeURIComponent(hook.id)}/deliveries`)),
    );
    return { events: events.data, hooks: hooks.data, deliveries: deliveries.map((answer) => answer.data) };
  }

  function render({ events, hooks, deliveries }) {
    replace(
      $("webhooks-body"),
      hooks.length
        ? hooks.map((hook, index) =>
            h(
              "article",
              { class: "target" },
              h("header", {}, h("span", { class: "mono" }, hook.url), badge(hook.active === false ? "inactive" : "active", hook.active === false ? "idle" : "ok")),
              h("p", { class: "muted" }, `${hook.id} · events: ${(hook.events || []).join(", ") || "all"}`),
              deliveries[index].length
                ? h(
                    "table",
                    {},
                    h("thead", {}, h("tr", {}, h("th", {}, "Delivery"), h("th", {}, "Event"), h("th", {}, "Status"), h("th", {}, "Attempts"))),
                    h(
                      "tbody",
                      {},
                      deliveries[index].map((delivery) =>
                        h(
                          "tr",
                          {},
                          h("td", { class: "mono" }, delivery.id),
                          h("td", {}, delivery.event || delivery.event_type || ""),
                          h("td", {}, badge(String(delivery.status), delivery.status)),
                          h("td", {}, String(delivery.attempts ?? (delivery.attempt_history || []).length ?? "")),
                        ),
                      ),
                    ),
                  )
                : empty("No deliveries yet."),
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
                h("details", {}, h("summary", {}, h("span", { class: "mono" }, when(event.created_at)), " ", badge(event.event, "info"), " ", event.data.post_id || "", " ", h("span", { class: "muted mono" }, event.id)), h("pre", { class: "body" }, pretty(event.data))),
              ),
            ),
          )
        : empty("No events yet."),
    );
  }

  return {
    bind() {},
    reset() {
      last = "";
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
