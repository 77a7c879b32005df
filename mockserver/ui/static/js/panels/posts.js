// The tenant's posts, paged on the server, and the one post picked from them.
import { call, query } from "../api.js";
import { badge, empty, excerpt, h, replace, short, when } from "../dom.js";

const PAGE = 25;

export function postsPanel(doc) {
  const $ = (id) => doc.getElementById(id);
  const filters = $("posts-filters");
  let view = null;
  let cursors = [null]; // the cursor of each page seen, so "Previous" can go back
  let lastList = "";
  let lastPost = "";
  let selected = null;
  let nextCursor = null;

  function params() {
    const data = new FormData(filters);
    return {
      status: data.get("status"),
      platform: data.get("platform"),
      search: data.get("search").trim(),
      sort: data.get("sort"),
      limit: PAGE,
    };
  }

  function restart() {
    cursors = [null];
    lastList = "";
    view.refresh();
  }

  async function refreshList() {
    const page = cursors.length - 1;
    const answer = await call(`/_mock/posts${query({ ...params(), cursor: cursors[page] })}`);
    const text = JSON.stringify(answer);
    if (text === lastList) return;
    lastList = text;
    nextCursor = answer.pagination.next_cursor || null;
    $("posts-next").disabled = !nextCursor;
    $("posts-prev").disabled = page === 0;
    $("posts-first").disabled = page === 0;
    $("posts-page").textContent = `page ${page + 1}${answer.data.length ? "" : ", no posts match"}`;
    replace(
      $("posts-rows"),
      answer.data.length ? null : h("tr", {}, h("td", { colspan: "5", class: "muted" }, "No posts match.")),
      answer.data.map((post) =>
        h(
          "tr",
          { class: post.id === selected ? "selected" : null, dataset: { postId: post.id } },
          h("td", {}, badge(post.status)),
          h(
            "td",
            { class: "text" },
            h(
              "a",
              { href: `#posts/${encodeURIComponent(post.id)}`, class: "post-link" },
              excerpt(post.text) || "(no text)",
            ),
          ),
          h(
            "td",
            {},
            post.targets.map((target) => badge(`${target.platform}: ${target.status}`, target.status)),
          ),
          h("td", { class: "nowrap" }, short(post.scheduled_at)),
          h("td", { class: "nowrap" }, short(post.published_at)),
        ),
      ),
    );
  }

  async function refreshPost() {
    const body = $("post-body");
    if (!selected) {
      if (lastPost !== "none") replace(body, empty("Pick a post to see its targets, errors, metrics, events and a preview per platform."));
      lastPost = "none";
      return;
    }
    const id = encodeURIComponent(selected);
    let parts;
    try {
      parts = await Promise.all([
        call(`/_mock/posts/${id}`),
        call(`/_mock/posts/${id}/preview`),
        call(`/_mock/posts/${id}/metrics`),
        call(`/_mock/events${query({ post_id: selected })}`),
      ]);
    } catch (error) {
      if (error.status !== 404) throw error;
      if (lastPost !== "gone") replace(body, h("p", { class: "error" }, `No post ${selected} in this tenant.`));
      lastPost = "gone";
      return;
    }
    const text = JSON.stringify(parts);
    if (text === lastPost) return;
    lastPost = text;
    const [post, preview, metrics, events] = parts;
    replace(body, renderPost(post, preview.data, metrics.data, events.data));
  }

  filters.addEventListener("input", restart);
  filters.addEventListener("submit", (event) => event.preventDefault());
  $("posts-next").addEventListener("click", () => {
    if (!nextCursor) return;
    cursors.push(nextCursor);
    lastList = "";
    view.refresh();
  });
  $("posts-prev").addEventListener("click", () => {
    if (cursors.length > 1) cursors.pop();
    lastList = "";
    view.refresh();
  });
  $("posts-first").addEventListener("click", restart);

  return {
    bind(v) {
      view = v;
    },
    reset() {
      cursors = [null];
      lastList = "";
      lastPost = "";
      selected = null;
    },
    select(postId) {
      if (postId === selected) return;
      selected = postId;
      lastList = "";
      lastPost = "";
      if (postId) $("post").scrollIntoView({ block: "nearest" });
    },
    async refresh() {
      await Promise.all([refreshList(), refreshPost()]);
    },
  };
}

function renderPost(post, previews, metrics, events) {
  const metricsOf = new Map(metrics.targets.map((target) => [target.account_id, target.metrics]));
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
    h("h4", {}, "Text"),
    h("div", { class: "preview" }, h("div", { class: "bubble post-text" }, post.text || "(no text)")),
    h("h4", {}, `Targets (${post.targets.length})`),
    post.targets.map((target) => renderTarget(target, metricsOf.get(target.account_id))),
    h("h4", {}, "Preview per platform"),
    previews.length ? previews.map(renderPreview) : empty("No targets to preview."),
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

function fact(label, value) {
  return h("div", {}, h("dt", {}, label), h("dd", {}, value));
}

function renderTarget(target, metrics) {
  const error = target.error;
  return h(
    "article",
    { class: "target", dataset: { platform: target.platform } },
    h("header", {}, target.platform, badge(target.status), h("span", { class: "muted mono" }, target.account_id)),
    h(
      "dl",
      {},
      target.platform_post_id ? [h("dt", {}, "Platform id"), h("dd", { class: "mono" }, target.platform_post_id)] : null,
      target.permalink
        ? [h("dt", {}, "Permalink"), h("dd", {}, h("a", { href: target.permalink, rel: "noreferrer noopener", target: "_blank" }, target.permalink))]
        : null,
      target.published_at ? [h("dt", {}, "Published"), h("dd", {}, when(target.published_at))] : null,
      target.scheduled_at ? [h("dt", {}, "Scheduled"), h("dd", {}, when(target.scheduled_at))] : null,
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
  );
}

function renderPreview(preview) {
  const length = (item) =>
    h(
      "span",
      { class: item.length > item.limit ? "over" : "muted" },
      ` ${item.length} / ${item.limit} ${preview.unit}`,
    );
  return h(
    "article",
    { class: "target preview", dataset: { platform: preview.platform } },
    h("header", {}, `${preview.platform} preview`, h("span", { class: "muted mono" }, preview.account_id)),
    preview.title !== null && preview.title !== undefined
      ? h("div", {}, h("strong", {}, preview.title), length({ length: preview.title_length, limit: preview.title_limit }))
      : null,
    preview.segments.map((segment, index) =>
      h(
        "div",
        {},
        preview.segments.length > 1 ? h("span", { class: "muted" }, `${index + 1}/${preview.segments.length}`) : null,
        h("div", { class: "bubble" }, segment.text || "(no text)"),
        length(segment),
        segment.media.length
          ? h(
              "div",
              { class: "thumbs" },
              segment.media.map((media) =>
                media.thumbnail_url
                  ? h("img", { src: media.thumbnail_url, alt: `${media.type} ${media.id}`, loading: "lazy" })
                  : badge(`${media.type} ${media.id}`),
              ),
            )
          : null,
      ),
    ),
    preview.first_comment
      ? h("div", {}, h("span", { class: "muted" }, "first comment"), h("div", { class: "bubble comment" }, preview.first_comment))
      : null,
    preview.notes.map((note) => h("p", { class: "muted" }, note)),
  );
}
