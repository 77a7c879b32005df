// Active scenarios with their fired counts, the bundled library, and documents of your own.
import { call } from "../api.js";
import { badge, empty, h, replace } from "../dom.js";

export function scenariosPanel(doc) {
  const $ = (id) => doc.getElementById(id);
  let view = null;
  let last = "";

  async function act(request) {
    $("scenario-error").textContent = "";
    try {
      await request();
    } catch (error) {
      $("scenario-error").textContent = error.message;
    }
    last = "";
    view.refresh();
  }

  $("scenario-file").addEventListener("change", async () => {
    const file = $("scenario-file").files[0];
    if (file) $("scenario-text").value = await file.text();
  });
  $("scenario-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const text = $("scenario-text").value;
    if (!text.trim()) {
      $("scenario-error").textContent = "Paste a scenario document or choose a file first.";
      return;
    }
    const json = text.trimStart().startsWith("{");
    act(() =>
      call("/_mock/scenarios", { method: "PUT", text, contentType: json ? "application/json" : "application/yaml" }),
    );
  });

  function render(active, library) {
    const on = new Set(active.map((scenario) => scenario.name));
    replace(
      $("scenarios-active"),
      active.length
        ? h(
            "table",
            {},
            h("thead", {}, h("tr", {}, h("th", {}, "Name"), h("th", {}, "Rules"), h("th", {}, "Fired"), h("th", {}, ""))),
            h(
              "tbody",
              {},
              active.map((scenario) =>
                h(
                  "tr",
                  {},
                  h("td", {}, h("strong", {}, scenario.name), h("div", { class: "muted" }, scenario.description || "")),
                  h("td", {}, ruleBadges(scenario)),
                  h("td", { class: "fired-count" }, String(firedCount(scenario))),
                  h(
                    "td",
                    {},
                    h(
                      "button",
                      {
                        type: "button",
                        class: "secondary",
                        "aria-label": `Switch off ${scenario.name}`,
                        onclick: () => act(() => call(`/_mock/scenarios/${encodeURIComponent(scenario.name)}`, { method: "DELETE" })),
                      },
                      "Switch off",
                    ),
                  ),
                ),
              ),
            ),
          )
        : empty("No scenario is active: every delivery succeeds."),
    );
    replace(
      $("scenarios-library"),
      h(
        "ul",
        { class: "events-list" },
        library.map((scenario) => {
          const active = on.has(scenario.name);
          return h(
            "li",
            { dataset: { scenario: scenario.name } },
            h("input", {
              type: "checkbox",
              id: `scenario-${scenario.name}`,
              checked: active,
              onchange: (event) =>
                act(() =>
                  event.target.checked
                    ? call("/_mock/scenarios", { method: "PUT", json: { name: scenario.name } })
                    : call(`/_mock/scenarios/${encodeURIComponent(scenario.name)}`, { method: "DELETE" }),
                ),
            }),
            " ",
            h("label", { for: `scenario-${scenario.name}` }, h("strong", {}, scenario.name), " ", scenario.description),
          );
        }),
      ),
    );
  }

  return {
    bind(v) {
      view = v;
    },
    reset() {
      last = "";
    },
    async refresh() {
      const [active, library] = await Promise.all([call("/_mock/scenarios"), call("/_mock/scenarios/library")]);
      const text = JSON.stringify([active, library]);
      if (text === last) return;
      last = text;
      render(active.data, library.data);
    },
  };
}

function rules(scenario) {
  return [
    ...scenario.deliveries.map((rule, index) => ({ label: `delivery ${index + 1}`, rule })),
    ...scenario.requests.map((rule, index) => ({ label: `request ${index + 1}`, rule })),
  ];
}

function ruleBadges(scenario) {
  return rules(scenario).map(({ label, rule }) => {
    const match = Object.entries(rule.match || {})
      .map(([name, value]) => `${name}=${value}`)
      .join(" ");
    return badge(`${label}${match ? ` (${match})` : ""}: fired ${rule.fired}`, rule.fired ? "warn" : "idle");
  });
}

function firedCount(scenario) {
  return rules(scenario).reduce((sum, { rule }) => sum + rule.fired, 0);
}
