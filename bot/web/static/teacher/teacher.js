// The teachers' page: pick a lesson and a language; the page shows the link and QR code that open
// that lesson in the classroom chat, and the lesson in Swedish and that language side by side,
// which the browser prints on A4 (teacher.css). Texts are shown with textContent only.

import { $, element, getJson, textElement, url } from "../shared/common.js";

const SWEDISH = "sv";
const FAILED = "Det gick inte att hämta lektionen. Försök igen.";

const page = {
  lesson: $("lesson-select"),
  language: $("language-select"),
  print: $("print"),
  problem: $("problem"),
  qr: $("qr"),
  link: $("link"),
  title: $("sheet-title"),
  titleOther: $("sheet-title-other"),
  sheetQr: $("sheet-qr"),
  otherName: $("other-name"),
  steps: $("steps"),
};

const lessonSteps = new Map(); // lesson id -> its steps [{id, title}], in order
let languages = []; // [{code, name, dir}] except Swedish
let drawing = 0; // the newest choice; an older one that answers late is dropped

/** The messages the chat shows for each step, in one language. */
function stepTexts(steps, lang) {
  return Promise.all(steps.map((step) => getJson(`../api/show/${encodeURIComponent(step.id)}`, { lang })));
}

/** One step's text in one language: its title, then the rest (a note first if it is not translated). */
function cell(messages) {
  const view = element("div", { class: "cell" });
  messages.forEach((message) => {
    const custom = message.custom ?? {};
    const block = element("div", { lang: custom.lang ?? SWEDISH, dir: custom.dir ?? "auto" });
    if (custom.item) {
      const [title, ...rest] = (message.text ?? "").split("\n");
      block.append(textElement("h3", {}, title), textElement("p", {}, rest.join("\n").trim()));
    } else {
      block.append(textElement("p", {}, message.text ?? ""));
    }
    view.append(block);
  });
  return view;
}

function firstLine(messages) {
  const shown = messages.find((message) => message.custom?.item) ?? messages[0];
  return (shown?.text ?? "").split("\n")[0];
}

async function draw() {
  const mine = ++drawing;
  const lesson = page.lesson.value;
  const language = languages.find((candidate) => candidate.code === page.language.value);
  const steps = lessonSteps.get(lesson);
  let link, swedish, other;
  try {
    [{ url: link }, swedish, other] = await Promise.all([
      getJson("api/link", { lang: language.code, lesson }),
      stepTexts(steps, SWEDISH),
      stepTexts(steps, language.code),
    ]);
  } catch {
    if (mine === drawing) page.problem.textContent = FAILED;
    return;
  }
  if (mine !== drawing) return;
  page.problem.textContent = "";
  const code = url("qr.svg", { lang: language.code, lesson }).href;
  page.link.href = link;
  page.link.textContent = link;
  [page.qr, page.sheetQr].forEach((image) => {
    image.src = code;
    image.alt = `QR-kod till lektionen: ${link}`;
  });
  page.title.textContent = firstLine(swedish[0]);
  Object.assign(page.titleOther, { lang: language.code, dir: language.dir, textContent: firstLine(other[0]) });
  Object.assign(page.otherName, { lang: language.code, dir: language.dir, textContent: language.name });
  page.steps.replaceChildren(
    ...steps.map((_, index) => {
      const row = element("section", { class: "columns step" });
      row.append(cell(swedish[index]), cell(other[index]));
      return row;
    }),
  );
}

/** Fills the choices once the lesson list and the languages are here; the server may still be starting. */
async function start() {
  let ui, listing;
  try {
    [ui, listing] = await Promise.all([getJson("../api/ui", { lang: SWEDISH }), getJson("../api/lessons", { lang: SWEDISH })]);
  } catch {
    page.problem.textContent = FAILED;
    setTimeout(start, 3000);
    return;
  }
  listing.sections.forEach((section) => {
    const group = element("optgroup", { label: section.title });
    section.lessons.forEach((lesson) => {
      lessonSteps.set(lesson.id, lesson.steps);
      group.append(element("option", { value: lesson.id }, lesson.title));
    });
    page.lesson.append(group);
  });
  languages = ui.languages.filter((language) => language.code !== SWEDISH);
  page.language.replaceChildren(
    ...languages.map((language) => element("option", { value: language.code, lang: language.code }, language.name)),
  );
  page.lesson.addEventListener("change", draw);
  page.language.addEventListener("change", draw);
  page.print.addEventListener("click", () => window.print());
  await draw();
  document.body.dataset.ready = "true";
}

start();
