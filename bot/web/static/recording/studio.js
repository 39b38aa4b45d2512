// The review studio on the recording page: each translated text that needs a person (stale ones,
// whose Swedish source changed after a review, first; then drafts) beside its Swedish source. The
// communicator approves it as it is, or corrects it in the boxes and approves it
// (POST ../api/studio/<lang>/<id>/approve with the corrected fields); the server writes the YAML
// through bot/content/editing.py, which refuses what `bot check` would refuse. Then the text can
// be recorded in the list below (recording.js).
//
// Same rules as recording.js: text with textContent only, each text in its own lang and dir,
// nothing stored in the browser.

import { $, ApiError, LoginNeeded, api, element } from "../shared/common.js";

const STATE_LABELS = { stale: "Svenskan har ändrats", draft: "Utkast", reviewed: "Granskad" };
const KIND_LABELS = { section: "Avsnitt", item: "Ämne", part: "Del" };
const STALE_HELP = "Den svenska texten har ändrats efter förra granskningen. Jämför och rätta översättningen.";

const page = {
  progress: $("progress"),
  reviews: $("reviews"),
  empty: $("studio-empty"),
  studio: $("studio"),
};

/** The language's progress in words: what `bot check` prints, for one language. */
function describe(progress, isSource) {
  const audio =
    `Ljud: ${progress.recorded} inspelade, ${progress.synthetic} med syntetisk röst, ` +
    `${progress.no_audio} utan ljud.`;
  if (isSource) return `Svenska är källtexten. ${audio}`;
  return (
    `Texter: ${progress.reviewed} granskade, ${progress.stale} där svenskan har ändrats, ` +
    `${progress.draft} utkast, ${progress.missing} inte översatta. ${audio}`
  );
}

async function refreshProgress(lang) {
  const listing = await api("studio", { params: { lang }, background: true });
  page.progress.textContent = describe(listing.progress, lang === "sv");
}

/**
 * Draws the studio for `lang`. `hooks.language` is {code, name, dir}; `hooks.recordingsChanged()`
 * refetches the recording list (the approved text may be new there); `hooks.record(id)` moves to
 * that text's recording, and returns false when the text has nothing to record.
 */
export async function drawStudio(lang, hooks) {
  let listing;
  try {
    listing = await api("studio", { params: { lang } });
  } catch (failure) {
    if (failure instanceof LoginNeeded) return;
    page.progress.textContent = "";
    page.reviews.replaceChildren();
    return;
  }
  page.progress.textContent = describe(listing.progress, lang === "sv");
  const cards = listing.texts.map((text, index) => card(text, listing, index, hooks));
  page.reviews.replaceChildren(...cards);
  page.empty.hidden = cards.length > 0;
  page.empty.textContent =
    lang === "sv"
      ? "Svenska är källtexten: här finns inget att granska. Välj ett annat språk."
      : "Alla texter på det här språket är granskade. Tack!";
}

function column(className, lang, dir, label) {
  const node = element("div", { class: `column ${className}`, lang, dir });
  node.append(element("p", { class: "label", lang: "sv", dir: "ltr" }, label));
  return node;
}

function field(kind, value, id, labelText, dir) {
  const box = element(kind, { id, dir });
  box.value = value;
  if (kind === "textarea") box.rows = Math.max(2, Math.ceil(value.length / 45));
  const label = element("label", { for: id, lang: "sv", dir: "ltr" }, labelText);
  return { box, nodes: [label, box] };
}

function card(text, listing, index, hooks) {
  const { lang, dir } = listing;
  const prefix = `review-${index}`;
  const item = element("li", { class: "review", "data-review-id": text.id, "data-state": text.state });
  const heading = element("h3", { id: `${prefix}-heading` }, `${KIND_LABELS[text.kind]}: ${text.source.title}`);
  const badge = element("span", { class: "badge" }, STATE_LABELS[text.state]);
  heading.append(badge);

  const source = column("source", "sv", "ltr", "Svenska");
  source.append(element("p", { class: "title" }, text.source.title), element("p", { class: "body" }, text.source.text));
  if (text.source.steps.length) {
    const steps = element("ol");
    steps.append(...text.source.steps.map((step) => element("li", {}, step)));
    source.append(steps);
  }

  const translation = column("translation", lang, dir, `Översättning (${hooks.language.name})`);
  const title = field("input", text.translation.title, `${prefix}-title`, "Rubrik", dir);
  const body = field("textarea", text.translation.text, `${prefix}-text`, "Text", dir);
  const steps = text.translation.steps.map((step, n) =>
    field("textarea", step, `${prefix}-step-${n}`, `Steg ${n + 1}`, dir),
  );
  translation.append(...title.nodes, ...body.nodes, ...steps.flatMap((step) => step.nodes));

  const columns = element("div", { class: "columns" });
  columns.append(source, translation);
  const approve = element("button", { type: "button", class: "primary" }, "Godkänn texten");
  const record = element("button", { type: "button" }, "Spela in texten");
  record.hidden = true;
  const status = element("p", { class: "status", role: "status" }, text.state === "stale" ? STALE_HELP : "");
  const controls = element("div", { class: "row" });
  controls.append(approve, record);
  for (const control of controls.children) control.setAttribute("aria-describedby", heading.id);
  item.append(heading, columns, controls, status);

  const original = text.translation;
  const corrected = () => {
    const fields = {};
    if (title.box.value.trim() !== original.title) fields.title = title.box.value;
    if (body.box.value.trim() !== original.text) fields.text = body.box.value;
    const values = steps.map((step) => step.box.value);
    if (values.some((value, n) => value.trim() !== original.steps[n])) fields.steps = values;
    return fields;
  };
  approve.addEventListener("click", async () => {
    approve.disabled = true;
    status.textContent = "Sparar…";
    try {
      await api(`studio/${encodeURIComponent(lang)}/${encodeURIComponent(text.id)}/approve`, {
        method: "POST",
        body: corrected(),
      });
    } catch (failure) {
      approve.disabled = false;
      if (failure instanceof LoginNeeded) return;
      status.textContent = problem(failure);
      return;
    }
    item.dataset.state = "reviewed";
    badge.textContent = STATE_LABELS.reviewed;
    approve.textContent = "Godkänn igen";
    approve.disabled = false;
    status.textContent = "Godkänd och sparad. Deltagarna får den här texten nu.";
    await hooks.recordingsChanged();
    record.hidden = !hooks.canRecord(text.id);
    if (!record.hidden) status.textContent += " Spela gärna in den också.";
    await refreshProgress(lang).catch(() => {});
    (record.hidden ? approve : record).focus();
  });
  record.addEventListener("click", () => hooks.record(text.id));
  return item;
}

function problem(failure) {
  if (!(failure instanceof ApiError)) return "Det gick inte. Kontrollera anslutningen och försök igen.";
  if (failure.status === 422) return `Texten sparades inte: ${failure.message}`;
  if (failure.status === 403) return "Ditt konto får inte granska det här språket.";
  return "Det gick inte att spara. Ladda om sidan och försök igen.";
}
