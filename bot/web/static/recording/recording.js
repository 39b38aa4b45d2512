// Hälsolotsen's recording page: a native-language communicator reads each text that still lacks a
// human voice into the microphone (MediaRecorder), listens to the take, records again or saves it
// with PUT ../api/recordings/<lang>/<id>. A saved take waits for a second person, who listens to it
// (…/review) and approves it (…/approve); only then is it that text's audio. The last approval
// can be undone (…/undo). Only the languages the account records in are offered. Above the list,
// the review studio (studio.js) shows the translations to approve or correct first.
//
// Rules this file keeps:
// - Text is shown with textContent only, never parsed as HTML; each text in its own lang and dir.
// - Nothing is stored in the browser; takes live in memory until they are saved or the page closes.
// - The login is the coordinator pages' (api/login, api/me); the CSRF token is held in memory only.

import { $, LoginNeeded, api, element, getJson, languageButtons, startSession, url } from "../shared/common.js";
import { drawStudio } from "./studio.js";

const RECORDER_TYPES = ["audio/webm;codecs=opus", "audio/ogg;codecs=opus", "audio/mp4"];
const SOURCE_LABELS = { missing: "Saknar ljud", generated: "Syntetisk röst", recorded: "Inspelad" };
const WAITING_LABEL = "Väntar på godkännande";
const INTERFACE_LANGUAGE = "sv";

const page = {
  loading: $("loading"),
  account: $("account"),
  username: $("username"),
  coordinatorView: $("coordinator-view"),
  work: $("work"),
  languages: $("languages"),
  summary: $("summary"),
  problem: $("problem"),
  texts: $("texts"),
  player: $("player"),
};

const state = {
  lang: new URLSearchParams(location.search).get("lang") || "", // "": the server picks one of the account's
  languages: [], // [{code, name, dir}] from the chat page's api/ui
  allowed: [], // the codes this account records in (from the list)
  takes: [], // one per text shown
  recorded: 0, // texts of this language recorded before the list was fetched
  active: null, // the take being recorded
  playing: null, // the button whose audio is in the player
};

function problem(text) {
  page.problem.textContent = text;
}

// ---------------------------------------------------------------- login

function loggedOut() {
  stopEverything();
  page.loading.hidden = true;
  page.work.hidden = true;
  page.account.hidden = true;
}

async function loggedIn(me) {
  page.username.textContent = me.username;
  page.coordinatorView.hidden = me.role !== "coordinator";
  page.loading.hidden = true;
  page.account.hidden = false;
  page.work.hidden = false;
  await chooseLanguage(state.lang);
  if (document.activeElement === document.body) page.languages.querySelector("[aria-pressed=true]")?.focus();
}

// ---------------------------------------------------------------- languages and the list

function drawLanguages() {
  const mine = state.languages.filter((language) => state.allowed.includes(language.code));
  const buttons = languageButtons(mine, state.lang, chooseLanguage);
  buttons.forEach((button) => {
    button.disabled = state.active !== null;
  });
  page.languages.replaceChildren(...buttons);
}

async function chooseLanguage(lang) {
  stopEverything();
  let listing;
  try {
    listing = await api("recordings", { params: lang ? { lang } : {} });
  } catch (failure) {
    if (failure instanceof LoginNeeded) return;
    if (failure.status === 403 && lang) {
      await chooseLanguage(""); // a language of someone else's (an old link): one of the account's own
    } else {
      problem(
        failure.status === 403
          ? "Ditt konto har inget språk att spela in på. Be en administratör lägga till dina språk."
          : "Listan gick inte att hämta. Ladda om sidan.",
      );
    }
    return;
  }
  state.lang = listing.lang;
  state.allowed = listing.languages;
  history.replaceState(null, "", url("", { lang: state.lang }));
  problem("");
  drawLanguages();
  drawTakes(listing);
  await drawStudio(state.lang, {
    language: state.languages.find((language) => language.code === state.lang) || { name: state.lang },
    recordingsChanged: refreshTakes,
    canRecord: (id) => state.takes.some((take) => take.id === id),
    record: goToTake,
  });
}

function drawTakes(listing) {
  state.recorded = listing.recorded;
  state.takes = listing.texts.map((text, index) => newTake(text, listing.lang, listing.dir, index));
  page.texts.replaceChildren(...state.takes.map((take) => take.item));
  summarize();
}

/** The recording list again (a text approved in the studio may read differently now). */
async function refreshTakes() {
  if (state.active) return; // a recording is going on: its list stays until it is saved
  try {
    drawTakes(await api("recordings", { params: { lang: state.lang } }));
  } catch (failure) {
    if (!(failure instanceof LoginNeeded)) problem("Listan gick inte att hämta. Ladda om sidan.");
  }
}

/** From the studio to the text's recording: scrolled to, its Spela in button focused. */
function goToTake(id) {
  const take = state.takes.find((candidate) => candidate.id === id);
  if (!take) return;
  take.item.scrollIntoView({ block: "center" });
  take.record.focus();
}

function summarize() {
  const count = (source) => state.takes.filter((take) => take.item.dataset.audio === source).length;
  const recorded = state.recorded + count("recorded");
  if (state.takes.length === 0) {
    page.summary.textContent = "Alla texter på det här språket är inspelade. Tack!";
    return;
  }
  const waiting = state.takes.filter((take) => take.review).length;
  page.summary.textContent =
    `${count("missing")} texter saknar ljud. ${count("generated")} har en syntetisk röst. ` +
    `${recorded} är inspelade. ${waiting} väntar på godkännande.`;
}

// ---------------------------------------------------------------- one text and its take

function button(label, className = "") {
  const node = element("button", { type: "button" }, label);
  if (className) node.className = className;
  return node;
}

function newTake(text, lang, dir, index) {
  const headingId = `text-${index}`;
  const item = element("li", { class: "take", "data-id": text.id, "data-audio": text.audio });
  item.dataset.review = text.review || "";
  const heading = element("h3", { id: headingId }, text.id);
  heading.append(element("span", { class: "badge" }, text.review ? WAITING_LABEL : SOURCE_LABELS[text.audio]));
  const take = {
    id: text.id,
    item,
    review: text.review, // null, "mine" (waits for someone else) or "other" (this account may approve)
    undoable: text.undo,
    badge: heading.lastChild,
    record: button("Spela in", "primary"),
    stop: button("Stoppa", "recording"),
    listen: button("Lyssna"),
    save: button("Spara", "primary"),
    hear: button("Lyssna på förslaget"),
    approve: button("Godkänn", "primary"),
    undo: button("Ångra"),
    status: element("p", { class: "status", role: "status" }),
    blob: null,
    audioUrl: null,
    recorder: null,
    started: 0,
  };
  take.listen.setAttribute("aria-pressed", "false");
  take.hear.setAttribute("aria-pressed", "false");
  const controls = element("div", { class: "row" });
  controls.append(take.record, take.stop, take.listen, take.save, take.hear, take.approve, take.undo);
  for (const control of controls.children) control.setAttribute("aria-describedby", headingId);
  take.record.addEventListener("click", () => startRecording(take));
  take.stop.addEventListener("click", () => take.recorder?.stop());
  take.listen.addEventListener("click", () => listen(take, take.listen, take.audioUrl));
  take.save.addEventListener("click", () => save(take).catch(failed(take, saveProblem)));
  take.hear.addEventListener("click", () => listen(take, take.hear, url(`api/${takePath(take)}/review`)));
  take.approve.addEventListener("click", () => approve(take).catch(failed(take, approveProblem)));
  take.undo.addEventListener("click", () => undo(take).catch(failed(take, () => "Det gick inte att ångra. Försök igen.")));
  item.append(heading, element("p", { class: "text", lang, dir }, text.text), controls, take.status);
  if (text.review === "mine") take.status.textContent = WAITS_FOR_SOMEONE_ELSE;
  if (text.review === "other") {
    take.status.textContent = `${text.recorded_by} har spelat in texten. Lyssna på förslaget och godkänn det om det låter rätt.`;
  }
  show(take, "idle");
  return take;
}

const WAITS_FOR_SOMEONE_ELSE =
  "Sparad. En annan person ska lyssna och godkänna inspelningen. Tills dess används det ljud som fanns förut.";

function takePath(take) {
  return `recordings/${encodeURIComponent(state.lang)}/${encodeURIComponent(take.id)}`;
}

/** Which buttons a take shows: idle, recording, recorded (not saved) or saved; and those of its review. */
function show(take, mode) {
  take.record.hidden = mode === "recording";
  take.record.textContent = take.blob || take.review ? "Spela in igen" : "Spela in";
  take.stop.hidden = mode !== "recording";
  take.listen.hidden = !take.blob || mode === "recording";
  take.save.hidden = mode !== "recorded";
  take.hear.hidden = !take.review || mode === "recording";
  take.approve.hidden = take.review !== "other" || mode === "recording";
  take.undo.hidden = !take.undoable || mode === "recording";
}

function allowRecording(allowed) {
  state.takes.forEach((take) => {
    take.record.disabled = !allowed;
  });
  page.languages.querySelectorAll("button").forEach((node) => {
    node.disabled = !allowed;
  });
}

async function startRecording(take) {
  if (state.active) return;
  problem("");
  if (!navigator.mediaDevices?.getUserMedia || !window.MediaRecorder) {
    problem("Webbläsaren kan inte spela in här. Använd en ny webbläsare och en adress som börjar med https://.");
    return;
  }
  let stream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ audio: true });
  } catch (failure) {
    problem(
      failure.name === "NotAllowedError"
        ? "Sidan fick inte använda mikrofonen. Tillåt mikrofonen i webbläsaren och försök igen."
        : "Ingen mikrofon hittades. Koppla in en mikrofon och försök igen.",
    );
    return;
  }
  stopPlayer();
  const type = RECORDER_TYPES.find((candidate) => MediaRecorder.isTypeSupported(candidate));
  const recorder = new MediaRecorder(stream, type ? { mimeType: type } : {});
  const chunks = [];
  recorder.addEventListener("dataavailable", (event) => {
    if (event.data.size > 0) chunks.push(event.data);
  });
  recorder.addEventListener("stop", () => {
    stream.getTracks().forEach((track) => track.stop());
    if (state.active === take) finished(take, new Blob(chunks, { type: recorder.mimeType || type || "audio/webm" }));
  });
  Object.assign(take, { recorder, started: Date.now() });
  state.active = take;
  allowRecording(false);
  recorder.start();
  show(take, "recording");
  take.status.textContent = "Spelar in… Läs texten. Tryck på Stoppa när du är klar.";
  take.stop.focus();
}

function finished(take, blob) {
  state.active = null;
  allowRecording(true);
  if (take.audioUrl) URL.revokeObjectURL(take.audioUrl);
  const seconds = Math.max(1, Math.round((Date.now() - take.started) / 1000));
  Object.assign(take, { blob, audioUrl: URL.createObjectURL(blob), recorder: null });
  show(take, "recorded");
  take.status.textContent = `Inspelningen är klar (${seconds} s). Lyssna på den, och spara om den låter bra.`;
  take.listen.focus();
}

function stopPlayer() {
  page.player.pause();
  if (state.playing) state.playing.setAttribute("aria-pressed", "false");
  state.playing = null;
}

/** Plays `source` (the take in memory, or the take under review) with `control` pressed; again stops it. */
function listen(take, control, source) {
  const wasPlaying = state.playing === control;
  stopPlayer();
  if (wasPlaying) return;
  page.player.src = source;
  state.playing = control;
  control.setAttribute("aria-pressed", "true");
  page.player.play().catch(() => {
    take.status.textContent = "Inspelningen gick inte att spela upp. Spela in igen.";
    stopPlayer();
  });
}

page.player.addEventListener("ended", stopPlayer);

/** Stops a recording (its take is thrown away) and the player, before the list changes. */
function stopEverything() {
  stopPlayer();
  const recorder = state.active?.recorder;
  state.active = null;
  if (recorder?.state === "recording") recorder.stop();
}

/** Runs a change with the take's buttons disabled meanwhile, saying `doing` in its status. */
async function busy(take, doing, work) {
  stopPlayer();
  const controls = [take.record, take.listen, take.save, take.hear, take.approve, take.undo];
  controls.forEach((control) => {
    control.disabled = true;
  });
  take.status.textContent = doing;
  try {
    return await work();
  } finally {
    controls.forEach((control) => {
      control.disabled = false;
    });
  }
}

async function save(take) {
  await busy(take, "Sparar…", () =>
    api(takePath(take), { method: "PUT", body: take.blob, type: take.blob.type || "audio/webm" }),
  );
  take.review = "mine";
  take.item.dataset.review = "mine";
  take.badge.textContent = WAITING_LABEL;
  show(take, "saved");
  take.status.textContent = WAITS_FOR_SOMEONE_ELSE;
  take.record.focus();
}

async function approve(take) {
  await busy(take, "Godkänner…", () => api(`${takePath(take)}/approve`, { method: "POST" }));
  Object.assign(take, { review: null, undoable: true });
  take.item.dataset.review = "";
  take.item.dataset.audio = "recorded";
  take.badge.textContent = SOURCE_LABELS.recorded;
  show(take, "idle");
  take.status.textContent = "Godkänd. Svaret använder nu inspelningen. Tryck på Ångra om den blev fel.";
  take.undo.focus();
  summarize();
}

async function undo(take) {
  const answer = await busy(take, "Ångrar…", () => api(`${takePath(take)}/undo`, { method: "POST" }));
  take.undoable = false;
  take.item.dataset.audio = answer.audio_source;
  if (!take.review) take.badge.textContent = SOURCE_LABELS[answer.audio_source];
  show(take, "idle");
  take.status.textContent = "Ångrad. Svaret använder ljudet det hade innan.";
  take.record.focus();
  summarize();
}

function saveProblem(status) {
  if (status === 413) return "Inspelningen är för lång. Dela upp läsningen eller läs lite snabbare, och försök igen.";
  if (status === 422) return "Ljudet gick inte att läsa. Spela in igen.";
  if (status === 503) return "Servern hann inte göra om ljudet just nu. Vänta en minut och tryck på Spara igen.";
  if (status === 403) return "Du får inte spara här, eller så har sidan blivit för gammal. Ladda om sidan.";
  return "Det gick inte att spara. Försök igen om en stund.";
}

function approveProblem(status, code) {
  if (code === "text_changed") return "Texten har ändrats sedan inspelningen. Spela in den nya texten.";
  if (status === 409) return "En annan person måste godkänna, eller så är den redan godkänd. Ladda om sidan.";
  return "Det gick inte att godkänna. Försök igen om en stund.";
}

/** What a take's status says when a change failed: `problemFor(status)`, or the connection. */
function failed(take, problemFor) {
  return (failure) => {
    if (failure instanceof LoginNeeded) return;
    take.status.textContent = failure.status
      ? problemFor(failure.status, failure.code)
      : "Det gick inte. Kontrollera anslutningen och försök igen.";
  };
}

// ---------------------------------------------------------------- start

async function start() {
  const ui = await getJson("../api/ui", { lang: INTERFACE_LANGUAGE });
  state.languages = ui.languages;
  if (!state.languages.some((language) => language.code === state.lang)) state.lang = "";
  await startSession({ loggedIn, loggedOut });
}

start().catch(() => {
  page.loading.textContent = "Sidan gick inte att ladda. Ladda om sidan.";
});
