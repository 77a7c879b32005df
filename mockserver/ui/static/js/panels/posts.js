// The tenant's posts, paged on the server, and the one post picked from them.
import { call, query } from "../api.js";
import { badge, empty, excerpt, h, replace, short } from "../dom.js";
import { renderPost } from "./post.js";

const PAGE = 25;

export function postsPanel(doc) {
  const $ = (id) => doc.getElementById(id);
  const filters = $("posts-filters");
  let view = null;
  let cursors = [null]; // the cursor of each page seen, so "Previous" can go back
  let lastList = "";
  let lastPost = "";
  let selected = null;
  let part = null; // the target whose preview "#posts/<id>/<part>" points at
  let nextCursor = null;
  let message = null; // what the last action on the post answered
  let reveal = false; // a post was picked and is drawn: bring it into view once

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
        call(`/_mock/deliveries${query({ post_id: selected })}`),
      ]);
    } catch (error) {
      if (error.status !== 404) throw error;
      if (lastPost !== "gone") replace(body, h("p", { class: "error" }, `No post ${selected} in this tenant.`));
      lastPost = "gone";
      return;
    }
    const text = JSON.stringify([parts, message]);
    if (text === lastPost) return;
    const first = lastPost === "";
    lastPost = text;
    const [post, preview, metrics, events, deliveries] = parts;
    replace(
      body,
      message ? h("p", { class: message.ok ? "done" : "error", role: "status" }, message.text) : null,
      renderPost(post, preview.data, metrics.data, events.data, deliveries.data, act),
    );
    if (first) reveal = true;
  }

  // Once a newly picked post is drawn: its preview a link pointed at, else its details, in view.
  function revealPost() {
    reveal = false;
    const target = (part && doc.getElementById(part)) || $("post");
    const box = target.getBoundingClientRect();
    if (part || box.top < 0 || box.top > innerHeight) target.scrollIntoView({ block: "start" });
  }

  // An action on the post through the public API, as the app would call it.
  async function act(path, done, json = undefined) {
    try {
      await call(path, { method: "POST", json });
      message = { ok: true, text: `${done}.` };
    } catch (error) {
      message = { ok: false, text: `${error.code}: ${error.message}` };
    }
    lastList = "";
    view.refresh();
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
      part = null;
      message = null;
      $("panel-posts").classList.remove("has-post");
    },
    select(postId, previewOf = null) {
      if (postId === selected && previewOf === part) return;
      if (postId !== selected) message = null;
      selected = postId;
      part = previewOf;
      lastList = "";
      lastPost = "";
      // On a phone the post's details sit above the list (see style.css): shown where the tap was.
      $("panel-posts").classList.toggle("has-post", Boolean(postId));
    },
    async refresh() {
      await Promise.all([refreshList(), refreshPost()]);
      if (reveal) revealPost();
    },
  };
}
