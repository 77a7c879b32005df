// One post: its facts, the actions the API has for its state, each target with its publish
// attempts and what decided them, its events, and a preview per platform.
import { badge, empty, h, when } from "../dom.js";
import { renderPreview } from "./preview.js";

// The statuses the public API retries (POST /v1/posts/{pid}/retry) or publishes at once
// (POST /v1/posts/{pid}/publish) from.
const RETRYABLE = new Set(["failed", "partial"]);
const PUBLISHABLE = new Set(["draft", "scheduled"]);

export function renderPost(post, previews, metrics, events, deliveries, act) {
  const metricsOf = new Map(metrics.targets.map((target) => [target.account_id, target.metrics]));
  const attemptsOf = (target) => deliveries.filter((record) => record.account_id === target.account_id);
  return [
    h("p", {}, badge(post.status), " ", h("span", { class: "mono" }, post.id)),
    h(
      "dl",
      { class: "facts" },
      fact("Created", when(post.created_at)),
      fact("Scheduled", when(post.scheduled_at)),
      fact("Published", when(post.published_at)),
      fact("Retries", String(post.retry_count)),
    ),
    actions(post, act),
    h("h4", {}, "Text"),
    h("div", { class: "preview" }, h("div", { class: "bubble post-text" }, post.text || "(no text)")),
    h("h4", {}, `Targets (${post.targets.length})`),
    post.targets.map((target) => renderTarget(post, target, metricsOf.get(target.account_id), attemptsOf(target))),
    h("h4", {}, "Preview per platform"),
    previews.length ? previews.map((preview) => renderPreview(post.id, preview)) : empty("No targets to preview."),
    h("h4", {}, `Events (${events.length})`),
    events.length
      ? h(
          "ol",
          { class: "events-list" },
          events.map((event) =>
            h("li", {}, h("span", { class: "mono" }, when(event.created_at)), " ", badge(event.event, "info"), " ", event.id),
          ),
        )
      : empty("No events yet."),
  ];
}

function actions(post, act) {
  const buttons = [
    RETRYABLE.has(post.status)
      ? h(
          "button",
          { type: "button", onclick: () => act(`/v1/posts/${encodeURIComponent(post.id)}/retry`, "Retried") },
          "Retry the failed targets",
        )
      : null,
    // A retried or published post is queued on the fake clock: moving it by nothing delivers it.
    post.status === "publishing"
      ? h("button", { type: "button", onclick: () => act("/_mock/clock/advance", "Delivered", { seconds: 0 }) }, "Deliver now")
      : null,
    PUBLISHABLE.has(post.status)
      ? h(
          "button",
          { type: "button", onclick: () => act(`/v1/posts/${encodeURIComponent(post.id)}/publish`, "Published") },
          "Publish now",
        )
      : null,
  ].filter(Boolean);
  return buttons.length ? h("div", { class: "row post-actions" }, buttons) : null;
}

function fact(label, value) {
  return h("div", {}, h("dt", {}, label), h("dd", {}, value));
}

function renderTarget(post, target, metrics, attempts) {
  const error = target.error;
  return h(
    "article",
    { class: "target", dataset: { platform: target.platform } },
    h("header", {}, target.platform, badge(target.status), h("span", { class: "muted mono" }, target.account_id)),
    h(
      "dl",
      {},
      target.platform_post_id ? [h("dt", {}, "Platform id"), h("dd", { class: "mono" }, target.platform_post_id)] : null,
      // The vendor's own link, as the API answers it: shown, not followed, since the mock publishes
      // nowhere. The preview link stays on this page.
      target.permalink ? [h("dt", {}, "Permalink"), h("dd", { class: "mono permalink" }, target.permalink)] : null,
      [
        h("dt", {}, "Preview"),
        h(
          "dd",
          {},
          h(
            "a",
            { href: `#posts/${encodeURIComponent(post.id)}/${encodeURIComponent(previewId(target.account_id))}` },
            `${target.platform} preview`,
          ),
        ),
      ],
      target.published_at ? [h("dt", {}, "Published"), h("dd", {}, when(target.published_at))] : null,
      target.scheduled_at ? [h("dt", {}, "Scheduled"), h("dd", {}, when(target.scheduled_at))] : null,
      nextAttempt(post, target),
      metrics
        ? [
            h("dt", {}, "Metrics"),
            h(
              "dd",
              {},
              `${metrics.likes} likes · ${metrics.comments} comments · ${metrics.shares} shares · ${metrics.saves} saves`,
            ),
          ]
        : null,
    ),
    error
      ? h(
          "div",
          { class: "target-error", role: "note" },
          h("strong", {}, error.code),
          ` (${error.category}, caused by ${error.caused_by}): `,
          error.message,
        )
      : null,
    renderAttempts(attempts),
  );
}

export function previewId(accountId) {
  return `preview-${accountId}`;
}

// The mock retries nothing on its own, as the API documents no automatic retry: a failed target is
// attempted again only when the post is retried, a pending one when its post falls due, a queued
// one (after a retry or a publish) when the fake clock next moves.
function nextAttempt(post, target) {
  let text = null;
  if (target.status === "failed" && RETRYABLE.has(post.status)) text = "none scheduled: retry the post to try again";
  else if (target.status === "pending" && post.status === "scheduled") text = when(target.scheduled_at || post.scheduled_at);
  else if (target.status === "publishing") text = "queued: delivered when the fake clock next moves (Deliver now)";
  return text ? [h("dt", {}, "Next attempt"), h("dd", { class: "next-attempt" }, text)] : null;
}

function renderAttempts(attempts) {
  if (!attempts.length) return null;
  return h(
    "ol",
    { class: "attempts", "aria-label": "Publish attempts" },
    attempts.map((record) =>
      h(
        "li",
        { class: "attempt", dataset: { attempt: String(record.attempt) } },
        h("span", { class: "mono" }, `#${record.attempt} ${when(record.at)}`),
        " ",
        badge(record.outcome),
        record.latency_ms ? badge(`slowed ${record.latency_ms} ms`, "warn") : null,
        record.error ? h("span", { class: "mono" }, record.error.code || record.error.category) : null,
        record.scenario_rule ? [" ", ruleLink(record.scenario_rule)] : null,
      ),
    ),
  );
}

// "<scenario>.deliveries[<i>]" links to the scenario in the Scenarios tab.
function ruleLink(rule) {
  const name = rule.replace(/\.(deliveries|requests)\[\d+\]$/, "");
  return h(
    "span",
    { class: "rule" },
    "by ",
    h("a", { href: `#scenarios/${encodeURIComponent(name)}`, class: "mono" }, rule),
  );
}
