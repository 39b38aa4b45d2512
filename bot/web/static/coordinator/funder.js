// The funder's page: each figure as a bar (plain HTML, its width from the count) with the number
// written beside it, so the chart reads without colour and a screen reader hears the numbers.

import { $, api, element, startSession, url } from "../shared/common.js";

const CHANNELS = { telegram: "Telegram", web: "Webbchatten", rest: "Annat" };

function hideWork() {
  $("summary").hidden = true;
  $("nav").hidden = true;
}

function showWork(account) {
  $("summary").hidden = false;
  $("nav").hidden = false;
  $("who").textContent = `Inloggad: ${account.username}`;
  if (!$("month").value) $("month").value = new Date().toISOString().slice(0, 7);
  load();
}

/** One chart: a heading and a list of label, bar and number; the longest bar is the largest count. */
function chart(id, title, rows) {
  const section = element("section", { class: "chart", "aria-labelledby": id });
  section.append(element("h2", { id }, title));
  if (rows.length === 0) {
    section.append(element("p", {}, "Inget den här månaden."));
    return section;
  }
  const largest = Math.max(1, ...rows.map(([, count]) => count));
  const list = element("ul", { class: "bars" });
  for (const [label, count] of rows) {
    const item = element("li");
    const bar = element("span", { class: "fill", "aria-hidden": "true" });
    bar.style.width = `${(100 * count) / largest}%`;
    const track = element("span", { class: "track" });
    track.append(bar);
    item.append(element("span", { class: "label" }, label), track, element("span", { class: "count" }, String(count)));
    list.append(item);
  }
  section.append(list);
  return section;
}

function draw(summary) {
  const names = summary.language_names;
  const channels = Object.entries(summary.conversations.by_channel).map(([channel, n]) => [CHANNELS[channel] || channel, n]);
  const handoffRows = summary.handoffs.flatMap((h) => [[`${h.municipality}: begärda`, h.requested], [`${h.municipality}: bokade`, h.booked]]);
  $("charts").replaceChildren(
    chart("chart-channels", `Nya samtal: ${summary.conversations.total}`, channels),
    chart("chart-languages", "Nya samtal per språk", summary.languages.map((l) => [names[l.language] || l.language, l.conversations])),
    chart("chart-topics", "Svar per ämne", summary.topics.map((t) => [t.title, t.answers])),
    chart("chart-emergencies", `Akuta svar: ${summary.emergencies.total}`, summary.emergencies.by_item.map((e) => [e.title, e.shown])),
    chart("chart-handoffs", "Hälsosamtal per kommun", handoffRows),
  );
}

async function load() {
  const month = $("month").value;
  $("download").href = url("api/summary", { month, format: "csv" });
  $("status").textContent = "Hämtar…";
  try {
    const summary = await api("summary", { params: { month } });
    draw(summary);
    $("status").textContent = `Siffror för ${summary.month}.`;
  } catch (error) {
    $("status").textContent = error.message;
  }
}

$("filters").addEventListener("submit", (event) => {
  event.preventDefault();
  load();
});

startSession({ loggedIn: showWork, loggedOut: hideWork });
