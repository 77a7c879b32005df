// The tenant's inbox: comment threads under each published post, conversations with their
// messages, reviews with their replies, mentions; and a form that makes one arrive now.
//
// Read through GET /_mock/inbox, which holds what the public lists leave out (hidden comments,
// archived conversations, messaging windows) and, like every read of this page, stays out of the
// request journal and of request scenarios. Comments and messages are user input: shown as text.
import { call } from "../api.js";
import { badge, empty, h, replace, short, when } from "../dom.js";

// The newest messages shown per conversation; older ones are counted.
const MESSAGES_SHOWN = 10;

const TARGET_LABELS = {
  comment: "On the post",
  dm: "To the account",
  review: "On the Google account",
  mention: "Of the account",
};

export function inboxPanel(doc) {
  const $ = (id) => doc.getElementById(id);
  const form = $("arrival-form");
  const kind = $("arrival-kind");
  const target = $("arrival-target");
  let view = null;
  let last = "";
  let data = null; // the last overview read, for the form's choices

  function say(text, error = false) {
    const message = $("arrival-message");
    message.className = text ? (error ? "error" : "done") : "";
    message.textContent = text;
  }

  // The form's "on what": the posts for a comment, else the accounts that receive that kind.
  function fillTargets() {
    const chosen = kind.value;
    $("arrival-target-label").textContent = TARGET_LABELS[chosen];
    for (const node of form.querySelectorAll("[data-for-kind]")) node.hidden = node.dataset.forKind !== chosen;
    const choices = data ? targetChoices(data, chosen) : [];
    const options = choices.length ? choices : [["", chosen === "comment" ? "(no published post yet)" : "(no such account)"]];
    const shown = [...target.options].map((option) => [option.value, option.textContent]);
    if (JSON.stringify(shown) !== JSON.stringify(options)) {
      const before = target.value;
      replace(
        target,
        options.map(([value, label]) => h("option", { value }, label)),
      );
      if (options.some(([value]) => value === before)) target.value = before;
    }
    target.disabled = !choices.length;
    $("arrival-submit").disabled = !choices.length;
  }

  kind.addEventListener("change", fillTargets);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const chosen = kind.value;
    const json = { kind: chosen, text: $("arrival-text").value };
    json[chosen === "comment" ? "post_id" : "account_id"] = target.value;
    const author = $("arrival-author").value.trim();
    if (author) json.author_name = author;
    if (chosen === "review") json.rating = Number($("arrival-rating").value);
    try {
      const answer = await call("/_mock/inbox/arrivals", { method: "POST", json });
      say(`The ${chosen === "dm" ? "DM" : chosen} arrived at ${when(answer.at)} (${answer.result_id}).`);
      $("arrival-text").value = "";
    } catch (error) {
      say(`${error.code}: ${error.message}`, true);
    }
    last = "";
    view.refresh();
  });

  function render(overview) {
    const accounts = new Map(overview.accounts.map((account) => [account.id, account]));
    const comments = overview.threads.reduce((sum, thread) => sum + thread.comments.length, 0);
    const unread = overview.conversations.reduce((sum, item) => sum + item.conversation.unread_count, 0);
    replace(
      $("inbox-facts"),
      [
        ["Comments", String(comments)],
        ["Conversations", String(overview.conversations.length)],
        ["Unread messages", String(unread)],
        ["Reviews", String(overview.reviews.length)],
        ["Mentions", String(overview.mentions.length)],
      ].map(([label, value]) => h("div", {}, h("dt", {}, label), h("dd", {}, value))),
    );
    replace(
      $("inbox-threads"),
      overview.threads.length
        ? overview.threads.map((thread) => renderThread(thread, accounts))
        : empty("No published post yet: comments arrive under posts published to Instagram, Facebook, Threads, YouTube, X or LinkedIn."),
    );
    replace(
      $("inbox-conversations"),
      overview.conversations.length
        ? overview.conversations.map((item) => renderConversation(item, accounts))
        : empty("No conversation yet: a DM on Instagram, Facebook, X, Telegram or WhatsApp starts one."),
    );
    replace(
      $("inbox-reviews"),
      overview.reviews.length
        ? overview.reviews.map((item) => renderReview(item, accounts))
        : empty("No review yet: reviews arrive on Google accounts."),
    );
    replace(
      $("inbox-mentions"),
      overview.mentions.length
        ? h(
            "ol",
            { class: "events-list mentions" },
            overview.mentions.map((mention) => renderMention(mention, accounts)),
          )
        : empty("No mention yet: mentions arrive on Instagram, Facebook and X accounts."),
    );
  }

  return {
    bind(v) {
      view = v;
    },
    reset() {
      last = "";
      data = null;
      say("");
    },
    async refresh() {
      const overview = await call("/_mock/inbox");
      const text = JSON.stringify(overview);
      if (text === last) return;
      last = text;
      data = overview;
      fillTargets();
      render(overview);
    },
  };
}

function targetChoices(overview, kind) {
  if (kind === "comment") {
    return overview.threads.map((thread) => [thread.id, `${thread.platform}: ${clip(thread.content) || thread.id}`]);
  }
  return overview.accounts
    .filter((account) => account.kinds.includes(kind))
    .map((account) => [account.id, accountLabel(account)]);
}

function accountLabel(account) {
  return `${account.platform}: ${account.name} (@${account.username})`;
}

function clip(text, size = 40) {
  const flat = (text || "").replace(/\s+/g, " ").trim();
  return flat.length > size ? `${flat.slice(0, size - 1)}…` : flat;
}

function accountOf(accounts, id) {
  const account = accounts.get(id);
  return account ? `${account.name} (@${account.username})` : id;
}

// -- comment threads ------------------------------------------------------------------------------

function renderThread(thread, accounts) {
  // Replies name their comment in parent_id; a reply whose comment left the inbox stands alone.
  const present = new Set(thread.comments.map((comment) => comment.platform_id));
  const children = new Map();
  const roots = [];
  for (const comment of thread.comments) {
    if (comment.parent_id && present.has(comment.parent_id)) {
      if (!children.has(comment.parent_id)) children.set(comment.parent_id, []);
      children.get(comment.parent_id).push(comment);
    } else {
      roots.push(comment);
    }
  }
  const hidden = thread.comments.filter((comment) => comment.is_hidden).length;
  return h(
    "article",
    { class: "target inbox-item thread", dataset: { thread: thread.id } },
    h(
      "header",
      {},
      badge(thread.platform, "info"),
      h("a", { href: `#posts/${encodeURIComponent(thread.post_id)}`, class: "mono" }, thread.post_id),
      h("span", { class: "muted" }, `${accountOf(accounts, thread.account_id)} · published ${short(thread.published_at)}`),
      badge(`${thread.comments.length} comment${thread.comments.length === 1 ? "" : "s"}`, "idle"),
      hidden ? badge(`${hidden} hidden`, "warn") : null,
    ),
    h("p", { class: "post-content" }, thread.content || "(no text)"),
    roots.length
      ? h("ol", { class: "comments" }, roots.map((comment) => renderComment(comment, children)))
      : empty("No comments yet."),
  );
}

function renderComment(comment, children) {
  const replies = children.get(comment.platform_id) || [];
  return h(
    "li",
    { class: `comment${comment.is_hidden ? " is-hidden" : ""}`, dataset: { commentId: comment.platform_id } },
    h(
      "div",
      { class: "comment-head" },
      h("strong", {}, comment.author_name),
      " ",
      h("span", { class: "muted" }, `@${comment.author_username}`),
      " ",
      h("span", { class: "muted mono" }, when(comment.created_at)),
      " ",
      comment.is_owner ? badge("ours", "ok") : null,
      comment.is_hidden ? badge("hidden", "warn") : null,
      comment.like_count ? badge(`${comment.like_count} like${comment.like_count === 1 ? "" : "s"}`, "idle") : null,
    ),
    h("p", { class: "comment-text" }, comment.text),
    replies.length ? h("ol", { class: "comments replies" }, replies.map((reply) => renderComment(reply, children))) : null,
  );
}

// -- conversations --------------------------------------------------------------------------------

// Where the platform has a messaging window (Instagram, Facebook, WhatsApp): whether a reply may go.
function windowBadge(messaging) {
  if (!messaging) return null;
  if (!messaging.closes_at) return badge("window never opened", "idle");
  return messaging.open
    ? badge(`window open until ${short(messaging.closes_at)}`, "ok")
    : badge(`window closed ${short(messaging.closes_at)}`, "bad");
}

function renderConversation({ conversation, messages, window: messaging }, accounts) {
  const shown = messages.slice(-MESSAGES_SHOWN);
  const earlier = messages.length - shown.length;
  return h(
    "article",
    { class: "target inbox-item conversation", dataset: { conversation: conversation.id } },
    h(
      "header",
      {},
      badge(conversation.platform, "info"),
      h("span", {}, conversation.participant_name),
      h("span", { class: "muted" }, `to ${accountOf(accounts, conversation.account_id)}`),
      conversation.unread_count ? badge(`${conversation.unread_count} unread`, "warn") : badge("read", "idle"),
      conversation.status === "archived" ? badge("archived", "idle") : null,
      windowBadge(messaging),
    ),
    h("p", { class: "muted mono" }, `${conversation.id} · last activity ${when(conversation.updated_at)}`),
    earlier ? h("p", { class: "muted" }, `${earlier} earlier message${earlier === 1 ? "" : "s"} not shown.`) : null,
    h(
      "ol",
      { class: "messages" },
      shown.map((message) =>
        h(
          "li",
          { class: `message ${message.direction}` },
          h(
            "div",
            { class: "comment-head" },
            h("strong", {}, message.sender_name),
            " ",
            h("span", { class: "muted mono" }, when(message.created_at)),
            " ",
            message.status ? badge(message.status, "ok") : null,
          ),
          message.text !== null ? h("p", { class: "comment-text" }, message.text) : null,
          message.attachment_url ? h("p", { class: "muted mono" }, `${message.attachment_type}: ${message.attachment_url}`) : null,
        ),
      ),
    ),
  );
}

// -- reviews and mentions -------------------------------------------------------------------------

function stars(rating) {
  return h(
    "span",
    { class: "stars", title: `${rating} of 5 stars` },
    h("span", { "aria-hidden": "true" }, "★".repeat(rating) + "☆".repeat(5 - rating)),
    h("span", { class: "visually-hidden" }, `${rating} of 5 stars`),
  );
}

function renderReview({ review, reply }, accounts) {
  return h(
    "article",
    { class: "target inbox-item review", dataset: { review: review.id } },
    h(
      "header",
      {},
      stars(review.rating),
      h("span", {}, review.author),
      h("span", { class: "muted" }, `on ${accountOf(accounts, review.account_id)} · ${short(review.created_at)}`),
      reply ? badge("replied", "ok") : badge("no reply", "idle"),
    ),
    h("p", { class: "comment-text" }, review.text),
    reply
      ? h(
          "div",
          { class: "review-reply" },
          h("div", { class: "comment-head" }, h("strong", {}, "Reply"), " ", h("span", { class: "muted mono" }, when(reply.updated_at))),
          h("p", { class: "comment-text" }, reply.text),
        )
      : null,
  );
}

function renderMention(mention, accounts) {
  return h(
    "li",
    { class: "mention", dataset: { mention: mention.id } },
    h("span", { class: "mono" }, when(mention.received_at)),
    " ",
    badge(mention.platform, "info"),
    " ",
    h("strong", {}, mention.author.name),
    " ",
    h("span", { class: "muted" }, `@${mention.author.username} in a ${mention.metadata.mention_type || "post"} of ${accountOf(accounts, mention.account_id)}`),
    h("p", { class: "comment-text" }, mention.content.text),
  );
}
