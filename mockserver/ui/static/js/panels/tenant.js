// Plan and credits, reset, and the tenant's whole state as a file to download and upload.
import { call, session } from "../api.js";
import { h, replace } from "../dom.js";

export function tenantPanel(doc) {
  const $ = (id) => doc.getElementById(id);
  let view = null;
  let last = "";

  function say(text, error = false) {
    const message = $("tenant-message");
    message.className = error ? "error" : "";
    message.textContent = text;
  }

  async function act(request, done) {
    try {
      const answer = await request();
      say(done(answer));
    } catch (error) {
      say(error.message, true);
    }
    last = "";
    view.refresh();
  }

  $("plan-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const json = { plan: $("plan-name").value };
    if ($("plan-limit").value !== "") json.posts_limit = Number($("plan-limit").value);
    if ($("plan-used").value !== "") json.posts_used = Number($("plan-used").value);
    act(() => call("/_mock/tenant", { method: "PATCH", json }), () => "Plan saved.");
  });
  $("tenant-reset").addEventListener("click", () => {
    if (!window.confirm(`Reset ${session.key} to its fixtures? Posts, media, webhooks and the clock start over.`)) return;
    act(() => call("/_mock/reset", { method: "POST" }), (answer) => `Reset; the clock is back at ${answer.now}.`);
  });
  $("state-download").addEventListener("click", () =>
    act(
      async () => {
        const text = await call("/_mock/state", { raw: true });
        const url = URL.createObjectURL(new Blob([text], { type: "application/json" }));
        const link = h("a", { href: url, download: `${session.key}-state.json`, hidden: true });
        doc.body.append(link);
        link.click();
        link.remove();
        setTimeout(() => URL.revokeObjectURL(url), 10000);
        return text.length;
      },
      (size) => `Downloaded the state (${size} bytes).`,
    ),
  );
  $("state-file").addEventListener("change", () => {
    const file = $("state-file").files[0];
    if (!file) return;
    act(
      async () => call("/_mock/state", { method: "PUT", text: await file.text(), contentType: "application/json" }),
      (answer) => `Restored ${answer.posts} posts; the clock is at ${answer.now}.`,
    ).finally(() => {
      $("state-file").value = "";
    });
  });

  return {
    bind(v) {
      view = v;
    },
    reset() {
      last = "";
      say("");
    },
    async refresh() {
      const plan = await call("/_mock/tenant");
      const text = JSON.stringify(plan);
      if (text === last) return;
      last = text;
      const unlimited = plan.posts_limit < 0;
      replace(
        $("plan-facts"),
        [
          ["Plan", plan.plan],
          ["Posts used", String(plan.posts_used)],
          ["Posts limit", unlimited ? "unlimited" : String(plan.posts_limit)],
          ["Credits left", unlimited ? "unlimited" : String(Math.max(plan.posts_limit - plan.posts_used, 0))],
        ].map(([label, value]) => h("div", {}, h("dt", {}, label), h("dd", {}, value))),
      );
      if (!$("plan-form").contains(doc.activeElement)) {
        $("plan-name").value = plan.plan;
        $("plan-limit").value = plan.posts_limit;
        $("plan-used").value = plan.posts_used;
      }
    },
  };
}
