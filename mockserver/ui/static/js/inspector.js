// The page's controller: which tenant, which panel, the control token, and the live loop.
//
// Live updates poll rather than stream: every POLL_MS the clock and the visible panel are read
// again, and a panel redraws only when its data changed, so focus and scroll stay put.
import { call, session } from "./api.js";
import { h, replace } from "./dom.js";
import { clockPanel } from "./panels/clock.js";
import { eventsPanel } from "./panels/events.js";
import { inboxPanel } from "./panels/inbox.js";
import { postsPanel } from "./panels/posts.js";
import { requestsPanel } from "./panels/requests.js";
import { scenariosPanel } from "./panels/scenarios.js";
import { tenantPanel } from "./panels/tenant.js";
import { timelinePanel } from "./panels/timeline.js";

const POLL_MS = 500;
const TENANTS_EVERY = 4; // the tenant list is read every fourth round

export function startInspector(doc) {
  const $ = (id) => doc.getElementById(id);
  const panels = {
    posts: postsPanel(doc),
    timeline: timelinePanel(doc),
    scenarios: scenariosPanel(doc),
    requests: requestsPanel(doc),
    events: eventsPanel(doc),
    inbox: inboxPanel(doc),
    tenant: tenantPanel(doc),
  };
  const state = { tab: "posts", round: 0, locked: false, timer: null };
  const view = {
    // A panel asks for an immediate round after it changed something.
    refresh: () => loop(),
    openPost: (postId) => {
      location.hash = `#posts/${encodeURIComponent(postId)}`;
    },
    advanceTo: (instant) => clock.advanceTo(instant),
  };
  const clock = clockPanel(doc, view);
  for (const panel of Object.values(panels)) panel.bind(view);

  session.onLocked = () => lock();

  function lock(message = "") {
    state.locked = true;
    $("workspace").hidden = true;
    $("no-tenant").hidden = true;
    $("token-panel").hidden = false;
    $("token-error").textContent = message;
    $("token-input").focus();
  }

  $("token-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    session.setToken($("token-input").value);
    try {
      await call("/_mock/tenants", { tenant: false });
    } catch (error) {
      lock(error.status === 401 ? "That token was refused." : error.message);
      return;
    }
    state.locked = false;
    $("token-panel").hidden = true;
    $("token-input").value = "";
    await begin();
  });

  const form = $("tenant-form");
  const pick = $("tenant-pick");
  const typed = $("tenant-key");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const key = typed.value.trim() || pick.value;
    if (key) choose(key);
  });
  pick.addEventListener("change", () => {
    if (pick.value) choose(pick.value);
  });

  function choose(key) {
    const url = new URL(location.href);
    url.searchParams.set("key", key);
    history.replaceState(null, "", url);
    typed.value = "";
    setTenant(key);
  }

  function setTenant(key) {
    if (session.key === key) return;
    session.key = key;
    clock.reset();
    for (const panel of Object.values(panels)) panel.reset();
    showWorkspace();
    loop();
  }

  function showWorkspace() {
    $("workspace").hidden = !session.key || state.locked;
    $("no-tenant").hidden = Boolean(session.key) || state.locked;
    doc.title = session.key ? `${session.key} · Inspector · socialapi-mock` : "Inspector · socialapi-mock";
  }

  async function loadTenants() {
    const answer = await call("/_mock/tenants", { tenant: false });
    const keys = answer.data.map((tenant) => tenant.key);
    if (session.key && !keys.includes(session.key)) keys.unshift(session.key);
    const current = [...pick.options].map((option) => option.value).filter(Boolean);
    if (current.join("\n") !== keys.join("\n")) {
      replace(
        pick,
        keys.length ? null : h("option", { value: "" }, "(no tenant yet)"),
        keys.map((key) => h("option", { value: key }, key)),
      );
    }
    pick.value = session.key;
    return keys;
  }

  function route() {
    const [tab, detail, part] = location.hash.replace(/^#/, "").split("/");
    state.tab = tab in panels ? tab : "posts";
    for (const link of doc.querySelectorAll("[data-tab]")) {
      if (link.dataset.tab === state.tab) link.setAttribute("aria-current", "page");
      else link.removeAttribute("aria-current");
    }
    for (const section of doc.querySelectorAll("[data-panel]")) section.hidden = section.dataset.panel !== state.tab;
    // "#posts/<id>" picks a post ("#posts/<id>/<part>" also scrolls to one of its parts);
    // "#scenarios/<name>" points at a scenario.
    const picked = panels[state.tab].select;
    if (picked) picked(detail ? decodeURIComponent(detail) : null, part ? decodeURIComponent(part) : null);
    loop();
  }
  window.addEventListener("hashchange", route);

  function setLive(ok, text) {
    const live = $("live");
    live.className = `live ${ok ? "on" : "off"}`;
    live.textContent = text;
  }

  // One round: the clock and the visible panel. Rounds never overlap; a round asked for while one
  // runs starts right after it.
  let running = null;
  let again = false;
  async function loop() {
    if (running) {
      again = true;
      return running;
    }
    clearTimeout(state.timer);
    running = (async () => {
      do {
        again = false;
        await round();
      } while (again);
    })();
    try {
      await running;
    } finally {
      running = null;
      state.timer = setTimeout(loop, POLL_MS);
    }
  }

  async function round() {
    if (state.locked) return;
    try {
      if (state.round++ % TENANTS_EVERY === 0) await loadTenants();
      if (!session.key) {
        setLive(true, "no tenant");
        return;
      }
      if (!doc.hidden) {
        await clock.refresh();
        await panels[state.tab].refresh();
      }
      setLive(true, "live");
    } catch (error) {
      if (error.status === 401 && error.code === "auth.invalid_token") return;
      setLive(false, error.message || "offline");
    }
  }

  // The first tenant: the URL's ?key=, else the first one the server holds.
  async function begin() {
    try {
      const keys = await loadTenants();
      if (!session.key) session.key = keys[0] || "";
      pick.value = session.key;
      if (!session.key) typed.focus();
    } catch (error) {
      if (error.status === 401) {
        lock(session.token ? "The stored token was refused." : "");
        return;
      }
      setLive(false, error.message);
    }
    showWorkspace();
    route();
  }

  session.key = new URL(location.href).searchParams.get("key") || "";
  begin();
}
