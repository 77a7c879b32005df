// Calls to the mock's own JSON API, as the tenant the page shows, with the control token if any.

export class ApiError extends Error {
  constructor(status, envelope) {
    const error = (envelope && envelope.error) || {};
    super(error.message || `HTTP ${status}`);
    this.status = status;
    this.code = error.code || `http.${status}`;
    this.meta = error.meta || {};
  }
}

const TOKEN_KEY = "socialapi-mock.control-token";

export const session = {
  key: "",
  token: sessionStorage.getItem(TOKEN_KEY) || "",
  onLocked: () => {},
  setToken(token) {
    this.token = token;
    sessionStorage.setItem(TOKEN_KEY, token);
  },
};

export async function call(path, { method = "GET", json, text, contentType, raw = false, tenant = true } = {}) {
  const headers = {};
  if (tenant) headers.Authorization = `Bearer ${session.key}`;
  if (session.token) headers["X-Mock-Token"] = session.token;
  let body;
  if (json !== undefined) {
    body = JSON.stringify(json);
    headers["Content-Type"] = "application/json";
  } else if (text !== undefined) {
    body = text;
    headers["Content-Type"] = contentType || "text/plain";
  }
  const response = await fetch(path, { method, headers, body, cache: "no-store" });
  if (!response.ok) {
    let envelope = null;
    try {
      envelope = await response.json();
    } catch {
      envelope = null;
    }
    const error = new ApiError(response.status, envelope);
    if (response.status === 401 && error.code === "auth.invalid_token") session.onLocked();
    throw error;
  }
  if (raw) return response.text();
  return response.status === 204 ? null : response.json();
}

export function query(params) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== "" && value !== null && value !== undefined) search.set(name, value);
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}
