// The coordinator view. Every text from a participant is shown with textContent, never as HTML.
// The page polls the API every few seconds: new requests and new messages appear by themselves.

import { $, api, element, startSession } from "../shared/common.js";

const POLL_MS = 3000;
const STATUS = { new: "ny", claimed: "tagen", booked: "bokad", closed: "avslutad" };
const TIMES = { morning: "förmiddag", afternoon: "eftermiddag", any: "spelar ingen roll" };
const SYSTEM = { returned_to_bot: "Deltagaren gick tillbaka till boten.", booked: "Deltagaren valde en tid. Bokat." };

let me = null;
let openId = null;
let shownMessages = -1;

function hideWork() {
  me = null;
  openId = null;
  $("detail").hidden = true;
  $("work").hidden = true;
  $("nav").hidden = true;
}

function showWork(account) {
  // A recorder's only work is the recording page; the requests are for coordinators.
  if (account.role === "recorder") {
    location.assign(new URL("inspelning", document.baseURI));
    return;
  }
  me = account;
  $("work").hidden = false;
  $("nav").hidden = false;
  $("who").textContent = `Inloggad: ${account.username}`;
  refresh();
}

/** The list, refreshed by the timer and after each action: background, so it keeps no login alive. */
async function refreshList() {
  const requests = await api("requests", { background: true });
  const list = $("list");
  list.replaceChildren();
  $("list-empty").hidden = requests.length > 0;
  for (const r of requests) {
    const button = element("button", { type: "button", "data-status": r.status, "data-id": r.id });
    if (r.id === openId) button.setAttribute("aria-current", "true");
    const interpreter = r.interpreter ? `, tolk: ${r.language_name}` : "";
    button.textContent = `${r.reference} · ${STATUS[r.status] || r.status} · ${r.municipality} · ${r.language_name}${interpreter}`;
    button.addEventListener("click", () => openRequest(r.id));
    const li = element("li");
    li.append(button);
    list.append(li);
  }
}

function fact(dl, name, value) {
  dl.append(element("dt", {}, name), element("dd", {}, value ?? "–"));
}

function showDetail(r) {
  $("detail").hidden = false;
  $("detail-title").textContent = `${r.reference} – ${STATUS[r.status] || r.status}`;
  const dl = $("facts");
  dl.replaceChildren();
  fact(dl, "Namn", r.name);
  fact(dl, "Språk", r.language_name);
  fact(dl, "Tolk", r.interpreter ? "ja" : "nej");
  fact(dl, "Kommun", r.municipality);
  fact(dl, "Tider", TIMES[r.times] || r.times);
  fact(dl, "Kontakt", r.contact === "phone" ? `ring: ${r.phone}` : `i chatten (${r.channel})`);
  fact(dl, "Meddelande", r.note);
  fact(dl, "Tagen av", r.claimed_by);
  fact(dl, "Bokad tid", r.booked_at?.replace("T", " "));
  const mine = r.claimed_by === me.username;
  $("claim").disabled = r.status !== "new";
  for (const id of ["booked", "closed"]) $(id).disabled = !mine || r.status === "closed";
  for (const form of ["write", "propose"]) {
    for (const control of $(form).elements) control.disabled = !mine || r.status === "closed";
  }
  if (r.messages.length !== shownMessages) {
    const log = $("messages");
    log.replaceChildren();
    for (const m of r.messages) {
      let text = m.text;
      if (m.author === "system") text = SYSTEM[m.text] || m.text;
      if (m.author === "proposal") text = `Tider föreslagna: ${r.proposals.map((p) => p.starts_at.replace("T", " ")).join(", ")}`;
      const who = { participant: "Deltagaren", coordinator: "Du/koordinator", system: "", proposal: "" }[m.author];
      log.append(element("li", { "data-author": m.author }, who ? `${who}: ${text}` : text));
    }
    shownMessages = r.messages.length;
  }
}

async function openRequest(id) {
  if (id !== openId) shownMessages = -1;
  openId = id;
  $("detail-error").textContent = "";
  try {
    showDetail(await api(`requests/${id}`));
  } catch (error) {
    $("detail-error").textContent = error.message;
  }
  refreshList().catch(() => {});
}

async function act(path, body) {
  $("detail-error").textContent = "";
  try {
    showDetail(await api(`requests/${openId}/${path}`, { method: "POST", body: body || {} }));
    refreshList().catch(() => {});
    return true;
  } catch (error) {
    $("detail-error").textContent = error.message;
    return false;
  }
}

async function refresh() {
  if (!me) return;
  try {
    await refreshList();
    if (openId !== null) showDetail(await api(`requests/${openId}`, { background: true }));
  } catch {
    /* shown on the next user action; polling goes on */
  }
}

$("claim").addEventListener("click", () => act("claim"));
$("booked").addEventListener("click", () => act("status", { status: "booked" }));
$("closed").addEventListener("click", () => act("status", { status: "closed" }));

$("write").addEventListener("submit", async (event) => {
  event.preventDefault();
  if (await act("messages", { text: $("text").value })) $("text").value = "";
});

$("propose").addEventListener("submit", async (event) => {
  event.preventDefault();
  const times = ["time1", "time2", "time3"].map((id) => $(id).value).filter(Boolean);
  if (await act("proposals", { times })) for (const id of ["time1", "time2", "time3"]) $(id).value = "";
});

startSession({ loggedIn: showWork, loggedOut: hideWork });
setInterval(refresh, POLL_MS);
