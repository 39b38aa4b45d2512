// The insights page. Every question is shown with textContent, never as HTML: even scrubbed,
// it is what a participant typed.

import { $, api, element, LoginNeeded, startSession } from "../shared/common.js";

const KINDS = { unsure: "osäker", out_of_scope: "utanför" };

function hideWork() {
  $("insights").hidden = true;
  $("nav").hidden = true;
}

function showWork(account) {
  $("insights").hidden = false;
  $("nav").hidden = false;
  $("who").textContent = `Inloggad: ${account.username}`;
  load();
}

function languageName(code, names) {
  return names[code] || code;
}

/** "Lägg till som exempel på …": the topic's nearest items to choose from; one click adds the
    question to that item's example questions in its language (the content editor's history keeps it). */
function addExample(lang, text, choices) {
  const form = element("form", { class: "add-example" });
  const id = `add-${lang}-${Math.random().toString(36).slice(2)}`;
  const select = element("select", { id });
  choices.forEach((choice) => select.append(element("option", { value: choice.id }, choice.title)));
  const result = element("span", { role: "status" });
  form.append(element("label", { for: id }, "Lägg till som exempel på"), select);
  form.append(element("button", { type: "submit" }, "Lägg till"), result);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const chosen = select.selectedOptions[0];
    try {
      await api("insights/examples", { method: "POST", body: { lang, item: select.value, text } });
      form.replaceChildren(element("span", { role: "status" }, `Tillagd som exempel på ${chosen.textContent}.`));
    } catch (error) {
      if (!(error instanceof LoginNeeded)) result.textContent = error.message;
    }
  });
  return form;
}

function topicRow(topic, lang) {
  const row = element("tr");
  row.append(element("th", { scope: "row" }, topic.title || topic.topic || "Inget närmaste ämne"));
  topic.counts.forEach((count) => row.append(element("td", { class: "count" }, String(count))));
  row.append(element("td", { class: "count" }, String(topic.total)));
  row.append(element("td", {}, Object.entries(topic.kinds).map(([kind, n]) => `${KINDS[kind] || kind} ${n}`).join(" · ")));
  const examples = element("ul", { class: "examples" });
  for (const example of topic.examples) {
    const li = element("li");
    li.append(element("span", { dir: "auto" }, example.text));
    if (example.count > 1) li.append(` (${example.count} gånger)`);
    if (topic.choices.length) li.append(addExample(lang, example.text, topic.choices));
    examples.append(li);
  }
  const cell = element("td");
  cell.append(examples);
  row.append(cell);
  return row;
}

function languageSection(group, weeks, names) {
  const section = element("section", { "aria-labelledby": `lang-${group.language}` });
  section.append(element("h2", { id: `lang-${group.language}` }, `${languageName(group.language, names)}: ${group.total} frågor`));
  const table = element("table");
  const head = element("tr");
  head.append(element("th", { scope: "col" }, "Närmaste ämne"));
  weeks.forEach((week) => head.append(element("th", { scope: "col", title: `veckan från ${week.start}` }, `v. ${week.week}`)));
  head.append(element("th", { scope: "col" }, "Totalt"), element("th", { scope: "col" }, "Sort"), element("th", { scope: "col" }, "Exempel"));
  const thead = element("thead");
  thead.append(head);
  const body = element("tbody");
  group.topics.forEach((topic) => body.append(topicRow(topic, group.language)));
  table.append(thead, body);
  const scroll = element("div", { class: "scroll", role: "region", tabindex: "0", "aria-labelledby": `lang-${group.language}` });
  scroll.append(table);
  section.append(scroll);
  return section;
}

function showTaps(taps, names) {
  $("taps").hidden = taps.length === 0;
  $("taps-body").replaceChildren(...taps.map((tap) => {
    const row = element("tr");
    row.append(element("td", {}, languageName(tap.language, names)), element("th", { scope: "row" }, tap.title));
    row.append(element("td", { class: "count" }, String(tap.rank)), element("td", { class: "count" }, String(tap.count)));
    return row;
  }));
}

/** Per language, the answers rated most often 👎 first (the API's order). */
function showRatings(ratings, names) {
  $("ratings").hidden = ratings.length === 0;
  $("ratings-body").replaceChildren(...ratings.map((rating) => {
    const row = element("tr");
    row.append(element("td", {}, languageName(rating.language, names)), element("th", { scope: "row" }, rating.title));
    row.append(element("td", { class: "count" }, String(rating.down)), element("td", { class: "count" }, String(rating.up)));
    return row;
  }));
}

function fillLanguages(names) {
  const select = $("language");
  if (select.options.length > 1) return;
  for (const code of Object.keys(names)) select.append(element("option", { value: code }, languageName(code, names)));
}

let asked = 0; // a slower, older answer must not replace a newer one

async function load() {
  const mine = ++asked;
  const query = { weeks: $("weeks").value };
  if ($("language").value) query.lang = $("language").value;
  $("status").textContent = "Hämtar…";
  try {
    const summary = await api("insights", { params: query });
    if (mine !== asked) return;
    fillLanguages(summary.language_names);
    $("report").replaceChildren(...summary.languages.map((group) => languageSection(group, summary.weeks, summary.language_names)));
    showTaps(summary.suggestion_taps, summary.language_names);
    showRatings(summary.ratings, summary.language_names);
    $("status").textContent = summary.total ? `${summary.total} obesvarade frågor under perioden.` : "Inga obesvarade frågor under perioden.";
    $("texts-hidden").hidden = summary.texts_shown;
  } catch (error) {
    $("status").textContent = error.message;
  }
}

$("filters").addEventListener("submit", (event) => {
  event.preventDefault();
  load();
});

startSession({ loggedIn: showWork, loggedOut: hideWork });
