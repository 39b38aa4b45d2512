// The content editor. The server checks every version as it is typed (a short pause after the
// last key) and says, per field, what `bot check` would say; nothing is written until "Spara".
// Texts are shown with textContent only.

import { $, api, ApiError, element, LoginNeeded, startSession } from "../shared/common.js";

const FIELDS = ["title", "text", "steps", "examples", "terms"];
const LISTS = new Set(["steps", "examples", "terms"]);
const PROBLEM_PLACES = [...FIELDS, "item"];
const PAUSE_MS = 400;

let itemId = "";
let timer = null;
let opened = 0; // counts the items opened: a check's answer is shown only for the item still open
let checking = false;
let again = false;

function hideWork() {
  $("editor").hidden = true;
  $("nav").hidden = true;
}

async function showWork(account) {
  $("editor").hidden = false;
  $("nav").hidden = false;
  $("who").textContent = `Inloggad: ${account.username}`;
  const team = account.role === "coordinator" && account.municipalities.includes("*");
  $("not-team").hidden = team;
  $("workspace").hidden = !team;
  if (team) await loadItems();
}

function fieldValues() {
  const fields = {};
  for (const name of FIELDS) {
    const value = $(`field-${name}`).value;
    fields[name] = LISTS.has(name) ? value.split("\n").map((line) => line.trim()).filter(Boolean) : value;
  }
  return fields;
}

function fillFields(fields) {
  for (const name of FIELDS) {
    $(`field-${name}`).value = LISTS.has(name) ? fields[name].join("\n") : fields[name];
  }
}

function showProblems(problems) {
  for (const place of PROBLEM_PLACES) {
    const messages = problems[place] || [];
    $(`problems-${place}`).replaceChildren(...messages.map((message) => element("li", {}, message)));
    const input = $(`field-${place}`);
    if (input) input.setAttribute("aria-invalid", String(messages.length > 0));
  }
}

function showLix(score, limit) {
  const lix = $("lix");
  lix.textContent = `LIX ${Math.round(score)} (lättläst: högst ${limit})`;
  lix.dataset.over = String(score > limit);
}

/** One answer drawn as a channel shows it: the text, then its buttons (👍/👎 side by side). */
function drawMessages(target, messages) {
  target.replaceChildren(...messages.map((message) => {
    const bubble = element("div", { class: "bubble", lang: message.custom.lang, dir: message.custom.dir });
    bubble.append(element("p", { class: "bubble-text" }, message.text));
    const buttons = element("div", { class: "bubble-buttons" });
    const ratings = element("div", { class: "bubble-ratings" });
    for (const button of message.buttons) {
      const rating = button.payload.startsWith("/rate{");
      (rating ? ratings : buttons).append(element("span", { class: "bubble-button" }, button.title));
    }
    bubble.append(buttons);
    if (ratings.childElementCount) bubble.append(ratings);
    return bubble;
  }));
}

function showCheck(check) {
  showProblems(check.problems);
  showLix(check.lix, check.lix_limit);
  drawMessages($("preview-telegram"), check.preview);
  drawMessages($("preview-widget"), check.preview);
}

/** One check at a time per page (each is a dry run of the whole content, about a second): typing
    while one runs asks for one more when it is done. An answer about an item no longer open is dropped. */
async function checkNow() {
  if (checking) {
    again = true;
    return;
  }
  checking = true;
  const mine = opened;
  try {
    const check = await api(`content/items/${encodeURIComponent(itemId)}/check`, { method: "POST", body: { fields: fieldValues() } });
    if (mine === opened) showCheck(check);
  } catch (error) {
    if (!(error instanceof LoginNeeded)) $("save-status").textContent = error.message;
  } finally {
    checking = false;
    if (again) {
      again = false;
      checkNow();
    }
  }
}

function checkSoon() {
  clearTimeout(timer);
  timer = setTimeout(checkNow, PAUSE_MS);
}

async function loadItems() {
  const { sections } = await api("content/items");
  const select = $("item");
  select.replaceChildren(...sections.map((section) => {
    const group = element("optgroup", { label: section.title });
    section.items.forEach((item) => group.append(element("option", { value: item.id }, item.title)));
    return group;
  }));
  const wanted = new URLSearchParams(location.search).get("item");
  if (wanted && [...select.options].some((option) => option.value === wanted)) select.value = wanted;
  await openItem(select.value);
}

async function openItem(id, status = "") {
  itemId = id;
  opened += 1;
  $("save-status").textContent = status;
  const answer = await api(`content/items/${encodeURIComponent(id)}`);
  fillFields(answer.fields);
  showCheck(answer.check);
  await loadHistory();
}

function when(iso) {
  const at = new Date(iso);
  const pad = (n) => String(n).padStart(2, "0");
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())} ${pad(at.getHours())}:${pad(at.getMinutes())}`;
}

async function loadHistory() {
  const { edits } = await api("content/history", { params: { item: itemId } });
  $("history-body").replaceChildren(...edits.map((edit) => {
    const row = element("tr");
    row.append(element("td", {}, when(edit.at)), element("td", {}, edit.who), element("td", {}, edit.lang));
    row.append(element("td", {}, edit.undone ? `${edit.summary} (ångrad)` : edit.summary));
    const cell = element("td");
    if (!edit.undone) {
      const undo = element("button", { type: "button" }, "Ångra");
      undo.addEventListener("click", () => undoEdit(edit.id));
      cell.append(undo);
    }
    row.append(cell);
    return row;
  }));
}

async function undoEdit(editId) {
  try {
    await api(`content/history/${editId}/undo`, { method: "POST" });
    await openItem(itemId, "Ändringen är ångrad.");
  } catch (error) {
    if (!(error instanceof LoginNeeded)) $("save-status").textContent = error.message;
  }
}

$("fields").addEventListener("input", checkSoon);
$("item").addEventListener("change", () => openItem($("item").value));
$("fields").addEventListener("submit", async (event) => {
  event.preventDefault();
  clearTimeout(timer);
  $("save-status").textContent = "Sparar…";
  try {
    await api(`content/items/${encodeURIComponent(itemId)}`, { method: "POST", body: { fields: fieldValues() } });
    $("save-status").textContent = "Sparat. Hälsolotsen använder den nya texten nu.";
    await loadHistory();
  } catch (error) {
    if (error instanceof LoginNeeded) return;
    $("save-status").textContent = error.message;
    if (error instanceof ApiError) checkNow();
  }
});

startSession({ loggedIn: showWork, loggedOut: hideWork });
