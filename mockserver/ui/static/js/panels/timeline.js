// Scheduled posts of the next 7 days on the fake clock, grouped by day and hour.
import { call, query } from "../api.js";
import { badge, distance, empty, excerpt, h, replace, when } from "../dom.js";

const DAYS = 7;
const MAX = 100;

export function timelinePanel(doc) {
  const body = doc.getElementById("timeline-body");
  let last = "";
  let view = null;

  return {
    bind(v) {
      view = v;
    },
    reset() {
      last = "";
    },
    async refresh() {
      const clock = await call("/_mock/clock");
      const now = new Date(clock.now);
      const until = new Date(now.getTime() + DAYS * 86400 * 1000);
      const answer = await call(
        `/_mock/posts${query({ status: "scheduled", sort: "scheduled_asc", from: clock.now, to: until.toISOString(), limit: MAX })}`,
      );
      const text = JSON.stringify([clock, answer]);
      if (text === last) return;
      last = text;
      replace(
        body,
        answer.data.length ? render(answer.data, answer.pagination.has_more, clock.next_due) : nothingSoon(clock, view),
      );
    },
  };
}

// An empty week is often a clock left behind: say where the next scheduled post is.
function nothingSoon(clock, view) {
  if (!clock.next_due) return empty("Nothing is scheduled in the next 7 days, nor later.");
  return h(
    "p",
    { class: "drift" },
    `Nothing is scheduled in the next 7 days. The next scheduled post is due ${when(clock.next_due)}, `,
    `${distance(clock.now, clock.next_due)} ahead of this tenant's clock. `,
    h("button", { type: "button", onclick: () => view.advanceTo(clock.next_due) }, "Jump to the next due post"),
  );
}

function render(posts, more, nextDue) {
  const days = new Map();
  for (const post of posts) {
    const at = post.scheduled_at;
    const day = at.slice(0, 10);
    const hour = `${at.slice(11, 13)}:00`;
    if (!days.has(day)) days.set(day, new Map());
    const hours = days.get(day);
    if (!hours.has(hour)) hours.set(hour, []);
    hours.get(hour).push(post);
  }
  return [
    [...days].map(([day, hours]) =>
      h(
        "section",
        { class: "day" },
        h("h3", {}, new Date(`${day}T00:00:00Z`).toUTCString().slice(0, 16)),
        h(
          "div",
          { class: "hours" },
          [...hours].map(([hour, items]) => [
            h("div", { class: "hour" }, hour),
            h(
              "ul",
              {},
              items.map((post) =>
                h(
                  "li",
                  { class: post.scheduled_at === nextDue ? "next-fire" : null, dataset: { postId: post.id } },
                  h("span", { class: "mono" }, post.scheduled_at.slice(11, 19)),
                  " ",
                  h("a", { href: `#posts/${encodeURIComponent(post.id)}` }, excerpt(post.text, 70) || post.id),
                  " ",
                  post.targets.map((target) => badge(target.platform, "info")),
                ),
              ),
            ),
          ]),
        ),
      ),
    ),
    more ? h("p", { class: "muted" }, `Showing the first ${posts.length}; more are scheduled.`) : null,
  ];
}
