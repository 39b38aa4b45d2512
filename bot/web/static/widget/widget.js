// Hälsolotsen's classroom chat: talks to Rasa through this server's POST api/chat (Rasa's REST
// channel behind it), and reads items for side by side and lesson mode from api/show and api/lessons.
//
// Rules this file keeps:
// - Message text is shown with textContent only, never parsed as HTML.
// - Nothing is stored in the browser: the conversation id lives in memory until "new session".
// - Every text the page shows comes from content/<lang>/ui.yml (api/ui) or from the answers.

import { $, element, getJson, languageButtons, postJson, textElement, url } from "../shared/common.js";

const SWEDISH = "sv";
const CHANGE_LANGUAGE = "/change_language";
const RATE = "/rate"; // 👍/👎 under an answer (bot/content/replies.py); named for screen readers
const RATING_LABELS = { up: "web_rate_up", down: "web_rate_down" };

const page = {
  languageButtons: $("language-buttons"),
  sideBySide: $("side-by-side"),
  newSession: $("new-session"),
  lessonPicker: $("lesson-picker"),
  lessonSelect: $("lesson-select"),
  lessonView: $("lesson-view"),
  lessonStep: $("lesson-step"),
  lessonPosition: $("lesson-position"),
  lessonPrevious: $("lesson-previous"),
  lessonNext: $("lesson-next"),
  lessonClose: $("lesson-close"),
  log: $("log"),
  ask: $("ask"),
  question: $("question"),
  player: $("player"),
};

const INBOX_POLL_MS = 3000;

const state = {
  sender: newSender(),
  lang: SWEDISH,
  dir: "ltr",
  texts: {},
  languages: [],
  maxChars: null, // the longest message the assistant reads (api/ui)
  sideBySide: false,
  lessons: new Map(), // lesson id -> its steps [{id, title}]
  lesson: null, // {id, index} while a lesson is open
  playing: null, // the play button whose audio is in the player
};
const swedish = new Map(); // item id -> Promise of its Swedish answer message
let queue = Promise.resolve(); // chat requests go one after another, so answers keep their order

/** A random conversation id; crypto.getRandomValues works on plain http too, unlike randomUUID. */
function newSender() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function languageName(code) {
  return state.languages.find((language) => language.code === code)?.name ?? code;
}

// ---------------------------------------------------------------- interface texts and language

/** Puts the interface texts of the chosen language on every labelled element. */
function applyTexts() {
  document.documentElement.lang = state.lang;
  document.documentElement.dir = state.dir;
  document.querySelectorAll("[data-ui]").forEach((node) => {
    node.textContent = state.texts[node.dataset.ui] ?? "";
    if (node.classList.contains("play")) node.lang = state.lang;
  });
  document.querySelectorAll("[data-ui-label]").forEach((node) => node.setAttribute("aria-label", state.texts[node.dataset.uiLabel] ?? ""));
  page.question.placeholder = state.texts.web_input_label;
  page.question.maxLength = state.maxChars;
  page.languageButtons.replaceChildren(...languageButtons(state.languages, state.lang, chooseLanguage));
}

async function loadInterface(lang) {
  const [ui, lessons] = await Promise.all([getJson("api/ui", { lang }), getJson("api/lessons", { lang })]);
  Object.assign(state, {
    lang: ui.lang,
    dir: ui.dir,
    texts: ui.strings,
    languages: ui.languages,
    maxChars: ui.max_message_chars,
  });
  applyTexts();
  fillLessons(lessons.sections);
}

async function chooseLanguage(lang, tellAssistant = true) {
  if (lang === state.lang) return;
  await loadInterface(lang);
  if (state.lesson) showLessonStep();
  if (tellAssistant) say(`${CHANGE_LANGUAGE}${JSON.stringify({ language: lang })}`);
}

/** The language a button payload such as /change_language{"language":"ar"} switches to, if any. */
function languageOfPayload(payload) {
  if (!payload.startsWith(`${CHANGE_LANGUAGE}{`)) return null;
  try {
    return JSON.parse(payload.slice(CHANGE_LANGUAGE.length)).language ?? null;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------- messages

/** One message: its text in its own language and direction, a play button if it has audio. */
function messageView(message, withButtons) {
  const custom = message.custom ?? {};
  const view = element("div", {
    class: custom.item ? "message answer" : "message",
    lang: custom.lang ?? state.lang,
    dir: custom.dir ?? "auto",
  });
  view.append(textElement("p", { class: "text" }, message.text ?? ""));
  if (custom.audio) view.append(playButton(custom.audio));
  const buttons = withButtons ? message.buttons ?? [] : [];
  const ratings = buttons.filter((choice) => ratingOf(choice.payload));
  const others = buttons.filter((choice) => !ratingOf(choice.payload));
  if (others.length) {
    const choices = element("div", { class: "choices" });
    others.forEach((choice) => {
      const button = element("button", { type: "button", class: "choice" }, choice.title);
      button.addEventListener("click", () => {
        const lang = languageOfPayload(choice.payload);
        if (lang) chooseLanguage(lang, false);
        say(choice.payload, choice.title);
      });
      choices.append(button);
    });
    view.append(choices);
  }
  if (ratings.length) view.append(ratingView(ratings));
  return view;
}

/** "up" or "down" if a payload rates an answer, else null. */
function ratingOf(payload) {
  if (!payload.startsWith(`${RATE}{`)) return null;
  try {
    const { rating } = JSON.parse(payload.slice(RATE.length));
    return Object.hasOwn(RATING_LABELS, rating) ? rating : null;
  } catch {
    return null;
  }
}

/** 👍 and 👎, small and side by side, each named in the page's language; one tap rates, then both
    are disabled so the answer is rated once. */
function ratingView(ratings) {
  const row = element("div", { class: "rating", role: "group" });
  const buttons = ratings.map((choice) => {
    const key = RATING_LABELS[ratingOf(choice.payload)];
    const button = element("button", { type: "button", class: "rate", "aria-label": state.texts[key] ?? "" }, choice.title);
    button.dataset.uiLabel = key;
    button.addEventListener("click", () => {
      buttons.forEach((each) => (each.disabled = true));
      button.setAttribute("aria-pressed", "true");
      say(choice.payload, choice.title);
    });
    return button;
  });
  row.append(...buttons);
  return row;
}

function playButton(url) {
  const button = element("button", { type: "button", class: "play", "aria-pressed": "false", lang: state.lang });
  button.dataset.ui = "web_play";
  button.dataset.audio = url;
  button.textContent = state.texts.web_play;
  button.addEventListener("click", () => play(button));
  return button;
}

/** One player for the page: a new play stops the one before; pressing the playing button pauses. */
function play(button) {
  const { player } = page;
  if (state.playing === button && !player.paused) {
    player.pause();
    return;
  }
  state.playing?.setAttribute("aria-pressed", "false");
  state.playing = button;
  player.src = button.dataset.audio;
  player.play().catch(() => button.setAttribute("aria-pressed", "false"));
}

function syncPlayButton() {
  state.playing?.setAttribute("aria-pressed", String(!page.player.paused));
}

/** A bot answer; with side by side on, an answer about an item gets its Swedish version next to it. */
function answerView(message, withButtons = true) {
  const entry = element("div", { class: "entry bot" });
  const pair = element("div", { class: "pair" });
  pair.append(messageView(message, withButtons));
  entry.append(pair);
  const custom = message.custom ?? {};
  if (custom.item && custom.lang !== SWEDISH) {
    entry.dataset.item = custom.item;
    if (state.sideBySide) addSwedish(entry);
  }
  return entry;
}

function swedishAnswer(item) {
  if (!swedish.has(item)) {
    const request = getJson(`api/show/${encodeURIComponent(item)}`, { lang: SWEDISH }).then(
      (messages) => messages.findLast((m) => m.custom?.item === item) ?? messages.at(-1),
    );
    request.catch(() => swedish.delete(item));
    swedish.set(item, request);
  }
  return swedish.get(item);
}

async function addSwedish(entry) {
  const pair = entry.querySelector(".pair");
  if (pair.classList.contains("side-by-side")) return;
  pair.classList.add("side-by-side");
  try {
    const message = await swedishAnswer(entry.dataset.item);
    if (!pair.classList.contains("side-by-side") || pair.children.length > 1) return;
    const [first] = pair.children;
    first.prepend(element("p", { class: "column-label" }, languageName(first.lang)));
    const second = messageView(message, false);
    second.classList.add("swedish");
    second.prepend(element("p", { class: "column-label" }, languageName(SWEDISH)));
    pair.append(second);
  } catch {
    pair.classList.remove("side-by-side");
  }
}

function removeSwedish(entry) {
  const pair = entry.querySelector(".pair");
  pair.classList.remove("side-by-side");
  pair.querySelectorAll(".swedish").forEach((node) => node.remove());
  pair.querySelectorAll(".column-label").forEach((node) => node.remove());
}

function notice(text) {
  const entry = element("div", { class: "entry bot notice", lang: state.lang, dir: state.dir });
  entry.append(element("p", { class: "text" }, text));
  return entry;
}

// ---------------------------------------------------------------- chat

/** Sends a message or a button payload to the assistant; `shownAs` is what the chat shows for it. */
function say(message, shownAs = null) {
  if (shownAs !== null) {
    const entry = element("div", { class: "entry user", dir: "auto" }, shownAs);
    page.log.append(entry);
    entry.scrollIntoView({ block: "nearest" });
  }
  const sender = state.sender;
  queue = queue.then(() => exchange(sender, message));
  return queue;
}

async function exchange(sender, message) {
  page.log.setAttribute("aria-busy", "true");
  let views;
  try {
    const response = await fetch(url("api/chat"), {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ sender, message }),
    });
    if (!response.ok) throw new Error(`chat: HTTP ${response.status}`);
    const answers = await response.json();
    if (answers.some((answer) => answer.custom?.handoff)) listenForCoordinator(sender);
    views = answers.map((answer) => answerView(answer));
  } catch {
    views = [notice(state.texts.web_try_again)];
  } finally {
    page.log.removeAttribute("aria-busy");
  }
  if (sender !== state.sender) return; // a new session started meanwhile
  const welcome = page.log.childElementCount === 0;
  page.log.append(...views);
  if (!welcome) showNewest(views); // the welcome leaves the page at its top, language buttons in view
}

/** Brings new answers into view: all of them if they fit, else the first one's start, so its first
    line is where the eye goes (the page's scroll padding keeps it clear of the question field). */
function showNewest(views) {
  views.at(-1)?.scrollIntoView({ block: "nearest" });
  views[0]?.scrollIntoView({ block: "nearest" });
}

/** After a hand-off request: a coordinator's messages arrive here, asked for every few seconds. */
function listenForCoordinator(sender) {
  if (state.listening === sender) return;
  state.listening = sender;
  const timer = setInterval(async () => {
    if (sender !== state.sender) {
      clearInterval(timer);
      return;
    }
    try {
      const waiting = await postJson("api/chat/inbox", { sender });
      const views = waiting.map((message) => answerView(message));
      page.log.append(...views);
      showNewest(views);
    } catch {
      /* try again at the next tick */
    }
  }, INBOX_POLL_MS);
}

/** The first message of a conversation: a welcome in Swedish, or the chosen language's greeting. */
function startConversation() {
  say(state.lang === SWEDISH ? "/greet" : `${CHANGE_LANGUAGE}${JSON.stringify({ language: state.lang })}`);
}

function newSession() {
  state.sender = newSender();
  page.log.replaceChildren();
  page.player.pause();
  closeLesson();
  startConversation();
  page.question.focus();
}

// ---------------------------------------------------------------- lesson mode

function fillLessons(sections) {
  const chosen = page.lessonSelect.value;
  state.lessons.clear();
  page.lessonSelect.replaceChildren(
    ...sections.map((section) => {
      const group = element("optgroup", { label: section.title });
      section.lessons.forEach((lesson) => {
        state.lessons.set(lesson.id, lesson.steps);
        group.append(element("option", { value: lesson.id }, lesson.title));
      });
      return group;
    }),
  );
  if (state.lessons.has(chosen)) page.lessonSelect.value = chosen;
}

function openLesson(id) {
  state.lesson = { id, index: 0 };
  page.lessonView.hidden = false;
  document.body.classList.add("lesson-open");
  showLessonStep();
}

function closeLesson() {
  state.lesson = null;
  page.lessonView.hidden = true;
  page.lessonStep.replaceChildren();
  document.body.classList.remove("lesson-open");
}

function stepLesson(by) {
  const steps = state.lessons.get(state.lesson.id);
  state.lesson.index = Math.min(Math.max(state.lesson.index + by, 0), steps.length - 1);
  showLessonStep();
}

async function showLessonStep() {
  const lesson = state.lesson;
  const steps = state.lessons.get(lesson.id);
  const { index } = lesson;
  page.lessonPosition.textContent = `${index + 1} / ${steps.length}`;
  setEnabled(page.lessonPrevious, index > 0, page.lessonNext);
  setEnabled(page.lessonNext, index < steps.length - 1, page.lessonPrevious);
  let views;
  try {
    const messages = await getJson(`api/show/${encodeURIComponent(steps[index].id)}`, { lang: state.lang });
    views = messages.map((message) => answerView(message, false));
  } catch {
    views = [notice(state.texts.web_try_again)];
  }
  if (state.lesson === lesson && lesson.index === index) page.lessonStep.replaceChildren(...views);
}

/** Disables a button; if it had the focus, the focus moves to `instead` so the keyboard user stays put. */
function setEnabled(button, enabled, instead) {
  if (!enabled && document.activeElement === button) instead.focus();
  button.disabled = !enabled;
}

// ---------------------------------------------------------------- wiring

function toggleSideBySide() {
  state.sideBySide = !state.sideBySide;
  page.sideBySide.setAttribute("aria-pressed", String(state.sideBySide));
  document.querySelectorAll(".entry[data-item]").forEach((entry) => {
    if (state.sideBySide) addSwedish(entry);
    else removeSwedish(entry);
  });
}

page.ask.addEventListener("submit", (event) => {
  event.preventDefault();
  const text = page.question.value.trim();
  if (!text) return;
  page.question.value = "";
  say(text, text);
});
page.lessonPicker.addEventListener("submit", (event) => {
  event.preventDefault();
  if (page.lessonSelect.value) openLesson(page.lessonSelect.value);
});
page.lessonPrevious.addEventListener("click", () => stepLesson(-1));
page.lessonNext.addEventListener("click", () => stepLesson(1));
page.lessonClose.addEventListener("click", () => {
  closeLesson();
  page.lessonSelect.focus();
});
page.sideBySide.addEventListener("click", toggleSideBySide);
page.newSession.addEventListener("click", newSession);
["play", "pause", "ended"].forEach((name) => page.player.addEventListener(name, syncPlayButton));

/**
 * What a teacher's link or QR code asks for (`?lang=ar&lesson=somn`, made on the teachers' page).
 * Each value is used only if it names a language or lesson the content has, so an unknown or hostile
 * one is left out without a word; neither is ever shown on the page.
 */
function linkRequest() {
  const query = new URLSearchParams(window.location.search);
  return { lang: query.get("lang"), lesson: query.get("lesson") };
}

/** Starts once the interface texts are here; the page and its API share one server, so retry until they are. */
async function start() {
  const asked = linkRequest();
  try {
    await loadInterface(SWEDISH);
    const known = state.languages.some((language) => language.code === asked.lang);
    if (known && asked.lang !== SWEDISH) await loadInterface(asked.lang);
  } catch {
    setTimeout(start, 3000);
    return;
  }
  if (state.lessons.has(asked.lesson)) {
    page.lessonSelect.value = asked.lesson;
    openLesson(asked.lesson);
  }
  document.body.dataset.ready = "true";
  startConversation();
}

start();
