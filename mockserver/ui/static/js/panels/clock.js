// The tenant's fake clock beside the wall clock: now, mode, the next due instant; advancing it,
// what fired, and a warning when the scheduled posts lie far beyond the fake clock.
import { call } from "../api.js";
import { badge, distance, h, replace, when } from "../dom.js";

// Beyond this the Timeline (the next 7 days) shows none of the scheduled posts.
export const FAR_AHEAD_MS = 7 * 86400 * 1000;

// The browser's own clock: the page may read the wall clock, the mock's domain never does.
function wallNow() {
  return new Date().toISOString().replace(/\.\d+Z$/, "Z");
}

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

  function tickWall() {
    $("clock-wall").textContent = when(wallNow());
  }
  tickWall();
  setInterval(tickWall, 1000);

  function showDrift(clock) {
    const drift = $("clock-drift");
    const ahead = nextDue ? Date.parse(nextDue) - Date.parse(clock.now) : 0;
    if (ahead <= FAR_AHEAD_MS) {
      replace(drift);
      return;
    }
    replace(
      drift,
      h("strong", {}, `The next scheduled post is ${distance(clock.now, nextDue)} ahead of this tenant's clock`),
      ` (due ${when(nextDue)}; the wall clock says ${when(wallNow())}). It fires only when the fake clock gets there. `,
      h("button", { type: "button", id: "jump-to-next", onclick: () => advance({ to: nextDue }) }, "Jump to it"),
    );
  }

  return {
    advanceTo(instant) {
      return advance({ to: instant });
    },
    reset() {
      last = "";
      replace($("clock-fired"));
      replace($("clock-drift"));
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
      showDrift(clock);
      const input = $("advance-to-input");
      if (doc.activeElement !== input) input.value = clock.now.replace(/(\.\d+)?Z$/, "");
    },
  };
}
