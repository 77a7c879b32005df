// A post as each platform's feed would show it: the author with their handle, the media, the text
// folded where the feed folds it (with its "more"), the thread, the first comment.
import { badge, h } from "../dom.js";

export function renderPreview(postId, preview) {
  const [first, ...replies] = preview.segments;
  return h(
    "article",
    {
      class: `target preview feed feed-${preview.platform}`,
      id: `preview-${preview.account_id}`,
      dataset: { platform: preview.platform, postId },
    },
    h("header", { class: "feed-platform" }, preview.platform_name),
    message(preview, first, preview.title),
    replies.length
      ? h(
          "ol",
          { class: "thread", "aria-label": "Thread" },
          replies.map((reply, index) =>
            h("li", {}, h("span", { class: "muted" }, `${index + 2}/${preview.segments.length}`), message(preview, reply, null)),
          ),
        )
      : null,
    preview.first_comment
      ? h(
          "div",
          { class: "first-comment" },
          h("span", { class: "muted" }, "First comment"),
          author(preview),
          h("div", { class: "bubble comment" }, preview.first_comment),
        )
      : null,
    preview.notes.map((note) => h("p", { class: "muted note" }, note)),
  );
}

function message(preview, part, title) {
  const media = part.media.length ? h("div", { class: `feed-media n${Math.min(part.media.length, 4)}` }, part.media.map(picture)) : null;
  const mediaFirst = preview.media_first;
  return h(
    "div",
    { class: "message" },
    author(preview),
    mediaFirst ? media : null,
    title !== null && title !== undefined
      ? h(
          "div",
          { class: "feed-title" },
          h("strong", {}, title),
          count({ length: preview.title_length, limit: preview.title_limit }, preview.unit),
        )
      : null,
    text(preview, part),
    count(part, preview.unit),
    mediaFirst ? null : media,
  );
}

function author(preview) {
  const initials = preview.author_name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((word) => word[0].toUpperCase())
    .join("");
  return h(
    "div",
    { class: "author" },
    h("span", { class: "avatar", "aria-hidden": "true" }, initials || "?"),
    h("strong", { class: "author-name" }, preview.author_name),
    preview.handle ? h("span", { class: "handle muted" }, preview.handle) : null,
  );
}

// The folded text, and a "more" that unfolds it in place, as the feed does.
function text(preview, part) {
  const body = h("div", { class: "bubble feed-text" }, part.folded ? part.folded_text : part.text || "(no text)");
  if (part.folded) {
    body.append(
      "… ",
      h(
        "button",
        {
          type: "button",
          class: "link more",
          onclick: () => body.replaceChildren(part.text),
        },
        preview.more_label,
      ),
    );
  }
  return body;
}

function count(item, unit) {
  return h("span", { class: `count ${item.length > item.limit ? "over" : "muted"}` }, `${item.length} / ${item.limit} ${unit}`);
}

function picture(media) {
  if (!media.thumbnail_url) return badge(`${media.type} ${media.id} (not in the library)`, "bad");
  return h(
    "span",
    { class: `picture ${media.type}` },
    h("img", { src: media.thumbnail_url, alt: `${media.type} ${media.id}`, loading: "lazy", width: "200", height: "200" }),
  );
}
