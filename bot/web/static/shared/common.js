// What every page of Hälsolotsen shares, imported by each page's own module: DOM helpers,
// addresses, and for the coordinator pages the API client and the login.
//
// Rules kept here for every page:
// - Text is put in with textContent only, never parsed as HTML.
// - Addresses are relative to the page, so the server may also sit behind a path prefix.
// - Nothing is stored in the browser: the CSRF token lives in memory only.

export const $ = (id) => document.getElementById(id);

/** A new element with attributes and, if given, its text (as text, never as HTML). */
export function element(tag, attributes = {}, text = null) {
  const node = document.createElement(tag);
  Object.entries(attributes).forEach(([key, value]) => node.setAttribute(key, value));
  if (text !== null) node.textContent = text;
  return node;
}

// Digits in two or more groups ("020-50 50 50", "114 14"), found as bot/content/rules.py finds them.
const GROUPED_NUMBER = /\d+(?:(?:[ \u00a0\u202f]|[ \u00a0]?[-\u2010\u2011\u2013/][ \u00a0]?)\d+)+/g;

/** Like `element`, but each number in groups is a `.number` span that never wraps (base.css): a
    phone number split over two lines is a wrong number to someone who reads it off the screen or
    paper. The text is still put in as text only. */
export function textElement(tag, attributes, text) {
  const node = element(tag, attributes);
  let at = 0;
  for (const match of text.matchAll(GROUPED_NUMBER)) {
    if (match.index > at) node.append(text.slice(at, match.index));
    node.append(element("span", { class: "number" }, match[0]));
    at = match.index + match[0].length;
  }
  if (at < text.length) node.append(text.slice(at));
  return node;
}

/** One button per language, each in its own script and direction; the chosen one pressed. */
export function languageButtons(languages, chosen, choose) {
  return languages.map((language) => {
    const button = element(
      "button",
      { type: "button", lang: language.code, dir: language.dir, "aria-pressed": String(language.code === chosen) },
      language.name,
    );
    button.addEventListener("click", () => choose(language.code));
    return button;
  });
}

/** An address relative to the page, with query parameters. */
export function url(path, params = {}) {
  const address = new URL(path, document.baseURI);
  Object.entries(params).forEach(([key, value]) => address.searchParams.set(key, value));
  return address;
}

/** GET a JSON resource next to the page; a failed request throws. */
export async function getJson(path, params = {}) {
  const response = await fetch(url(path, params));
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return response.json();
}

/** POST JSON next to the page and read the JSON answer; a failed request throws. For anything
    secret, such as the chat's sender id, which must not be in an address (logs keep addresses). */
export async function postJson(path, body) {
  const response = await fetch(url(path), {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
    cache: "no-store",
  });
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return response.json();
}

// ---------------------------------------------------------------- the coordinator pages' API

/** Thrown after a 401: the login form is shown, and the action that asked simply ends. */
export class LoginNeeded extends Error {}

/** Any other refusal, with the HTTP status, the server's code (`error`) and its message. */
export class ApiError extends Error {
  constructor(status, message, code = "") {
    super(message);
    this.status = status;
    this.code = code;
  }
}

const session = { csrf: "", showLogin: () => {} };

/**
 * A request to the coordinator API (`api/…` next to the page). A body that is a Blob (a recording)
 * is sent as it is with `type`; any other body as JSON. Every change carries the CSRF token. A
 * page's timer passes `background: true`, so its refreshing does not keep an idle login alive.
 */
export async function api(path, { method = "GET", params = {}, body = null, type = null, background = false } = {}) {
  const headers = {};
  if (method !== "GET") headers["X-CSRF-Token"] = session.csrf;
  if (background) headers["X-Background-Refresh"] = "1";
  let payload = body;
  if (body instanceof Blob) {
    headers["Content-Type"] = type || body.type;
  } else if (body !== null) {
    headers["Content-Type"] = "application/json";
    payload = JSON.stringify(body);
  }
  const response = await fetch(url(`api/${path}`, params), { method, headers, body: payload, cache: "no-store" });
  const answer = await response.json().catch(() => ({}));
  if (response.status === 401 && path !== "login") {
    session.csrf = "";
    session.showLogin();
    throw new LoginNeeded();
  }
  if (!response.ok) throw new ApiError(response.status, answer.message || `Fel ${response.status}`, answer.error);
  return answer;
}

// ---------------------------------------------------------------- login

const LOGIN_FAILED = "Fel användarnamn eller lösenord.";
const LOGIN_WAIT = "Du har försökt många gånger. Vänta en stund och försök igen.";
const LOGIN_UNAVAILABLE = "Det gick inte att logga in just nu. Försök igen.";

/** Fills the page's empty `#login` section with the login form, the same on every page. */
function drawLogin(section) {
  const form = element("form", { id: "login-form", class: "stack" });
  const username = element("input", { id: "login-username", name: "username", autocomplete: "username" });
  const password = element("input", {
    id: "login-password",
    name: "password",
    type: "password",
    autocomplete: "current-password",
  });
  username.required = password.required = true;
  form.append(
    element("label", { for: "login-username" }, "Användarnamn"),
    username,
    element("label", { for: "login-password" }, "Lösenord"),
    password,
    element("button", { type: "submit" }, "Logga in"),
    element("p", { id: "login-error", class: "problem", role: "alert" }),
  );
  section.setAttribute("aria-labelledby", "login-heading");
  section.replaceChildren(element("h2", { id: "login-heading" }, "Logga in"), form);
  return { form, username, password, error: form.lastChild };
}

/** The coordinator pages, linked from each one's `<nav id="nav">` in the same order. */
const COORDINATOR_PAGES = [
  ["/koordinator/", "Förfrågningar"],
  ["/koordinator/insikter", "Insikter"],
  ["/koordinator/siffror", "Siffror"],
  ["/koordinator/redigera", "Redigera innehåll"],
  ["/koordinator/inspelning", "Granska och spela in"],
];

/** Draws the coordinator pages' navigation: who is logged in, the pages (the open one marked) and Logga ut. */
function drawNav(nav) {
  const here = location.pathname.replace(/\/$/, "");
  const links = COORDINATOR_PAGES.map(([href, text]) => {
    const link = element("a", { href }, text);
    if (href.replace(/\/$/, "") === here) link.setAttribute("aria-current", "page");
    return link;
  });
  nav.replaceChildren(element("span", { id: "who" }), ...links, element("button", { type: "button", id: "logout" }, "Logga ut"));
}

/**
 * The login of a coordinator page: the form in `#login` and the `#logout` button. `loggedIn(me)`
 * shows the page's work for the account; `loggedOut()` hides it. Starts by asking who is logged in.
 * The page's HTML has `<section id="login" hidden></section>`, and either an empty `<nav id="nav">`
 * (drawn here) or a `#logout` button of its own.
 */
export async function startSession({ loggedIn, loggedOut }) {
  if ($("nav")) drawNav($("nav"));
  const section = $("login");
  const login = drawLogin(section);
  session.showLogin = () => {
    loggedOut();
    section.hidden = false;
    login.username.focus();
  };
  const enter = async (me) => {
    session.csrf = me.csrf;
    section.hidden = true;
    await loggedIn(me);
  };
  login.form.addEventListener("submit", async (event) => {
    event.preventDefault();
    login.error.textContent = "";
    let me;
    try {
      me = await api("login", { method: "POST", body: { username: login.username.value, password: login.password.value } });
    } catch (failure) {
      const reasons = { 401: LOGIN_FAILED, 429: LOGIN_WAIT };
      login.error.textContent = reasons[failure.status] || LOGIN_UNAVAILABLE;
      return;
    }
    login.password.value = "";
    await enter(me);
  });
  $("logout").addEventListener("click", async () => {
    await api("logout", { method: "POST" }).catch(() => null);
    session.csrf = "";
    session.showLogin();
  });
  let me;
  try {
    me = await api("me");
  } catch (failure) {
    // Not logged in, or the server cannot say: the form it is (logging in says what is wrong).
    if (!(failure instanceof LoginNeeded)) session.showLogin();
    return;
  }
  await enter(me);
}
