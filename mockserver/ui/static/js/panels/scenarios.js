// Active scenarios with their fired counts, the bundled library, and documents of your own.
import { call } from "../api.js";
import { badge, empty, h, replace, withCode } from "../dom.js";

export function scenariosPanel(doc) {
  const $ = (id) => doc.getElementById(id);
  let view = null;
  let last = "";
  let selected = null; // the scenario a link to #scenarios/<name> points at

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
        ? active.map((scenario) =>
            h(
              "article",
              {
                class: `target scenario${scenario.name === selected ? " selected" : ""}`,
                id: `active-${scenario.name}`,
                dataset: { scenario: scenario.name },
              },
              h(
                "header",
                {},
                h("strong", {}, scenario.name),
                h("span", { class: "muted" }, "fired "),
                h("span", { class: "fired-count" }, String(firedCount(scenario))),
                h(
                  "button",
                  {
                    type: "button",
                    class: "secondary push",
                    "aria-label": `Switch off ${scenario.name}`,
                    onclick: () => act(() => call(`/_mock/scenarios/${encodeURIComponent(scenario.name)}`, { method: "DELETE" })),
                  },
                  "Switch off",
                ),
              ),
              scenario.description ? h("p", { class: "muted description" }, withCode(scenario.description)) : null,
              h("div", { class: "rules" }, ruleBadges(scenario)),
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
            { class: scenario.name === selected ? "selected" : null, dataset: { scenario: scenario.name } },
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
            h("label", { for: `scenario-${scenario.name}` }, h("strong", {}, scenario.name), " ", withCode(scenario.description)),
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
      selected = null;
    },
    select(name) {
      if (name === selected) return;
      selected = name;
      last = "";
    },
    async refresh() {
      const [active, library] = await Promise.all([call("/_mock/scenarios"), call("/_mock/scenarios/library")]);
      const text = JSON.stringify([active, library, selected]);
      if (text === last) return;
      const first = last === "";
      last = text;
      render(active.data, library.data);
      const picked = selected && doc.querySelector(`#panel-scenarios [data-scenario="${CSS.escape(selected)}"]`);
      if (picked && first) picked.scrollIntoView({ block: "nearest" });
    },
  };
}

function rules(scenario) {
  return [
    // Labelled as the delivery log's scenario_rule names them: "deliveries[0]".
    ...scenario.deliveries.map((rule, index) => ({ label: `deliveries[${index}]`, rule })),
    ...scenario.requests.map((rule, index) => ({ label: `requests[${index}]`, rule })),
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
