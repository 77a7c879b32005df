// The tenant's fake clock: now, mode, the next due instant; advancing it, and what fired.
import { call } from "../api.js";
import { badge, h, replace, when } from "../dom.js";

export function clockPanel(doc, view) {
  const $ = (id) => doc.getElementById(id);
  let last = "";
  let nextDue = null;

  async function advance(body) {
    const fired = $("clock-fired");
    try {
      const answer = await call("/_mock/clock/advance", { method: "POST", json: body });
      replace(
        fired,
        h("strong", {}, `Moved to ${when(answer.now)}. `),
        answer.fired.length === 0
          ? "Nothing fired."
          : [
              `${answer.fired.length} post${answer.fired.length === 1 ? "" : "s"} fired:`,
              h(
                "ul",
                {},
                answer.fired.slice(0, 20).map((item) =>
                  h(
                    "li",
                    {},
                    h("a", { href: `#posts/${encodeURIComponent(item.post_id)}` }, item.post_id),
                    " ",
                    badge(item.status),
                  ),
                ),
                answer.fired.length > 20 ? h("li", {}, `… and ${answer.fired.length - 20} more`) : null,
              ),
            ],
      );
    } catch (error) {
      replace(fired, h("span", { class: "error" }, error.message));
    }
    view.refresh();
  }

  for (const button of doc.querySelectorAll("[data-advance]")) {
    button.addEventListener("click", () => advance({ seconds: Number(button.dataset.advance) }));
  }
  $("advance-next").addEventListener("click", () => {
    if (nextDue) advance({ to: nextDue });
  });
  $("advance-to").addEventListener("submit", (event) => {
    event.preventDefault();
    const value = $("advance-to-input").value;
    if (value) advance({ to: `${value.length === 16 ? `${value}:00` : value}Z` });
  });

  return {
    reset() {
      last = "";
      replace($("clock-fired"));
    },
    async refresh() {
      const clock = await call("/_mock/clock");
      const text = JSON.stringify(clock);
      if (text === last) return;
      last = text;
      nextDue = clock.next_due || null;
      $("clock-now").textContent = when(clock.now);
      $("clock-mode").textContent = clock.mode === "realtime" ? `realtime ×${clock.speed}` : clock.mode;
      $("clock-next").textContent = nextDue ? when(nextDue) : "nothing scheduled";
      $("advance-next").disabled = !nextDue;
      const input = $("advance-to-input");
      if (doc.activeElement !== input) input.value = clock.now.replace(/(\.\d+)?Z$/, "");
    },
  };
}
