// Building DOM nodes. Text always goes in as text nodes, never as HTML: whatever a request
// carried (a post's text, a header, a body) is shown, never run.

export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") {
      node.addEventListener(name.slice(2), value);
    } else if (name === "class") {
      node.className = value;
    } else if (name === "dataset") {
      Object.assign(node.dataset, value);
    } else {
      node.setAttribute(name, value === true ? "" : String(value));
    }
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(node, child);
    else node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

// Redraws keep keyboard focus: the element that had it is found again by its id or its data key.
export function replace(node, ...children) {
  const focused = document.activeElement;
  const anchor = focused && node.contains(focused) ? focusKey(focused) : null;
  node.replaceChildren();
  append(node, children);
  if (anchor) {
    const again = node.querySelector(anchor);
    // A redraw keeps the reader where they are: focusing must not scroll.
    if (again) again.focus({ preventScroll: true });
  }
}

function focusKey(element) {
  if (element.id) return `#${CSS.escape(element.id)}`;
  const row = element.closest("[data-post-id], [data-request-id], [data-scenario]");
  if (!row) return null;
  const [name, value] = Object.entries(row.dataset)[0];
  const attribute = name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
  return `[data-${attribute}="${CSS.escape(value)}"] ${element.tagName.toLowerCase()}`;
}

export function badge(text, kind = text) {
  return h("span", { class: `badge ${kind}` }, text);
}

// "2026-01-02T09:00:00Z" -> "2026-01-02 09:00:00"; the fake clock is always UTC.
export function when(instant) {
  if (!instant) return "–";
  return instant.replace("T", " ").replace(/(\.\d+)?Z$/, "");
}

// The same, without the seconds when they are zero: for table cells.
export function short(instant) {
  return when(instant).replace(/(\d\d:\d\d):00$/, "$1");
}

export function excerpt(text, size = 90) {
  const flat = (text || "").replace(/\s+/g, " ").trim();
  return flat.length > size ? `${flat.slice(0, size - 1)}…` : flat;
}

export function pretty(value) {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") {
    try {
      return JSON.stringify(JSON.parse(value), null, 2);
    } catch {
      return value;
    }
  }
  return JSON.stringify(value, null, 2);
}

export function empty(text) {
  return h("p", { class: "muted" }, text);
}

// Markdown's inline code (`like this`) as <code> nodes and the rest as text: descriptions are
// written in Markdown, and parsing them as HTML would let a scenario file run script.
export function withCode(text) {
  return String(text || "")
    .split(/`([^`]+)`/)
    .map((piece, index) => (index % 2 ? h("code", {}, piece) : piece))
    .filter((piece) => piece !== "");
}

// How far apart two instants are, in words a reader takes in at once ("9 days", "3 hours").
export function distance(fromInstant, toInstant) {
  const seconds = Math.abs(Date.parse(toInstant) - Date.parse(fromInstant)) / 1000;
  const units = [
    [86400, "day"],
    [3600, "hour"],
    [60, "minute"],
  ];
  for (const [size, name] of units) {
    const count = Math.floor(seconds / size);
    if (count >= 1) return `${count} ${name}${count === 1 ? "" : "s"}`;
  }
  return `${Math.floor(seconds)} seconds`;
}
