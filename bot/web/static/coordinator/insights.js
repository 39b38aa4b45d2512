// The insights page. Every question is shown with textContent, never as HTML: even scrubbed,
// it is what a participant typed.

const KINDS = { unsure: "osäker", out_of_scope: "utanför" };

const $ = (id) => document.getElementById(id);
let csrf = "";

async function api(path, options = {}) {
  const headers = { "Content-Type": "application/json" };
  if (csrf) headers["X-CSRF-Token"] = csrf;
  const response = await fetch(`/koordinator/api/${path}`, { credentials: "same-origin", ...options, headers });
  const body = await response.json().catch(() => ({}));
  if (response.status === 401 && path !== "login") showLogin();
  if (!response.ok) throw new Error(body.message || `Fel ${response.status}`);
  return body;
}

function showLogin() {
  $("login").hidden = false;
  $("insights").hidden = true;
  $("nav").hidden = true;
}

function showWork(account) {
  csrf = account.csrf;
  $("login").hidden = true;
  $("insights").hidden = false;
  $("nav").hidden = false;
  $("who").textContent = `Inloggad: ${account.username}`;
  load();
}

function element(tag, text, attrs = {}) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  return node;
}

function languageName(code, names) {
  return names[code] || code;
}

function topicRow(topic) {
  const row = element("tr");
  row.append(element("th", topic.title || (topic.topic ? topic.topic : "Inget närmaste ämne"), { scope: "row" }));
  topic.counts.forEach((count) => row.append(element("td", String(count), { class: "count" })));
  row.append(element("td", String(topic.total), { class: "count" }));
  row.append(element("td", Object.entries(topic.kinds).map(([kind, n]) => `${KINDS[kind] || kind} ${n}`).join(" · ")));
  const examples = element("ul", undefined, { class: "examples" });
  for (const example of topic.examples) {
    const li = element("li");
    li.append(element("span", example.text, { dir: "auto" }));
    if (example.count > 1) li.append(` (${example.count} gånger)`);
    examples.append(li);
  }
  const cell = element("td");
  cell.append(examples);
  row.append(cell);
  return row;
}

function languageSection(group, weeks, names) {
  const section = element("section", undefined, { "aria-labelledby": `lang-${group.language}` });
  section.append(element("h2", `${languageName(group.language, names)}: ${group.total} frågor`, { id: `lang-${group.language}` }));
  const table = element("table");
  const head = element("tr");
  head.append(element("th", "Närmaste ämne", { scope: "col" }));
  weeks.forEach((week) => head.append(element("th", `v. ${week.week}`, { scope: "col", title: `veckan från ${week.start}` })));
  head.append(element("th", "Totalt", { scope: "col" }), element("th", "Sort", { scope: "col" }), element("th", "Exempel", { scope: "col" }));
  const thead = element("thead");
  thead.append(head);
  const body = element("tbody");
  group.topics.forEach((topic) => body.append(topicRow(topic)));
  table.append(thead, body);
  const scroll = element("div", undefined, { class: "scroll", role: "region", tabindex: "0", "aria-labelledby": `lang-${group.language}` });
  scroll.append(table);
  section.append(scroll);
  return section;
}

function showTaps(taps, names) {
  $("taps").hidden = taps.length === 0;
  $("taps-body").replaceChildren(...taps.map((tap) => {
    const row = element("tr");
    row.append(element("td", languageName(tap.language, names)), element("th", tap.title, { scope: "row" }));
    row.append(element("td", String(tap.rank), { class: "count" }), element("td", String(tap.count), { class: "count" }));
    return row;
  }));
}

function fillLanguages(names) {
  const select = $("language");
  if (select.options.length > 1) return;
  for (const code of Object.keys(names)) select.append(element("option", languageName(code, names), { value: code }));
}

async function load() {
  const query = new URLSearchParams({ weeks: $("weeks").value });
  if ($("language").value) query.set("lang", $("language").value);
  $("status").textContent = "Hämtar…";
  try {
    const summary = await api(`insights?${query}`);
    fillLanguages(summary.language_names);
    $("report").replaceChildren(...summary.languages.map((group) => languageSection(group, summary.weeks, summary.language_names)));
    showTaps(summary.suggestion_taps, summary.language_names);
    $("status").textContent = summary.total ? `${summary.total} obesvarade frågor under perioden.` : "Inga obesvarade frågor under perioden.";
  } catch (error) {
    $("status").textContent = error.message;
  }
}

$("login").addEventListener("submit", async (event) => {
  event.preventDefault();
  $("login-error").textContent = "";
  try {
    const body = JSON.stringify({ username: $("username").value, password: $("password").value });
    showWork(await api("login", { method: "POST", body }));
    $("password").value = "";
  } catch (error) {
    $("login-error").textContent = error.message;
  }
});

$("logout").addEventListener("click", async () => {
  await api("logout", { method: "POST" }).catch(() => {});
  csrf = "";
  showLogin();
});

$("filters").addEventListener("submit", (event) => {
  event.preventDefault();
  load();
});

api("me").then(showWork).catch(showLogin);
