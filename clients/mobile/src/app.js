// The mobile unit's offline app: download the day while online, work on the day's people with no
// connection (every command into a sealed, durable outbox), and sync when the connection returns,
// each command answered applied / already applied / conflict / refused, a conflict resolved by the
// worker, never by the app. The platform decides every rule again when the commands arrive: what
// the app checks here is only so the worker hears of a mistake while the person is in front of them.
import { createVault, openVault } from "./vault.js";
import * as store from "./store.js";
import { matches } from "./folding.js";
import { WORDS, EVENTS } from "./words.js";

const API = "/api/v1";
const IDLE_MINUTES = 15; // as the portal's session: someone who walked away finds the trip locked
const TOKEN_MARGIN_MS = 60_000; // renew a token a minute before it ends
// the drift the platform tolerates in an offline time (services/portal_gateway/domain/offline.py)
const CLOCK_SKEW_MS = 5 * 60_000;

const state = {
  lang: new URLSearchParams(location.search).get("lang") === "en" ? "en" : "el",
  key: null, // the data key, in memory only
  username: null,
  token: null,
  tokenUntil: 0,
  day: null,
  items: [],
  notice: null,
  clockAhead: null, // ms the tablet's clock is ahead of the platform's, at the last answer
};

// ----- words, dates ----------------------------------------------------------------------------

function t(name, parts = {}) {
  const text = WORDS[state.lang][name] ?? WORDS.el[name] ?? name;
  return text.replace(/\{(\w+)\}/g, (_, k) => String(parts[k] ?? ""));
}

/** A count with its noun in the plural form the language uses for it (1 ωφελούμενος, 2 ωφελούμενοι). */
function counted(noun, n) {
  const form = new Intl.PluralRules(state.lang).select(n) === "one" ? "one" : "other";
  return t(`${noun}_${form}`, { n });
}

const ATHENS = "Europe/Athens";

/** Today in Athens as the contracts write a date (YYYY-MM-DD). */
function today() {
  return new Intl.DateTimeFormat("en-CA", { timeZone: ATHENS }).format(new Date());
}

/** A date (YYYY-MM-DD) as the centres write it: dd/mm/yyyy. */
function day(iso) {
  if (!iso) return "";
  const [y, m, d] = iso.slice(0, 10).split("-");
  return `${d}/${m}/${y}`;
}

/** An instant as dd/mm/yyyy HH:MM in Athens. */
function when(iso) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-GB", {
      timeZone: ATHENS,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    })
      .formatToParts(new Date(iso))
      .map((p) => [p.type, p.value]),
  );
  return `${parts.day}/${parts.month}/${parts.year} ${parts.hour}:${parts.minute}`;
}

function label(field, code) {
  const found = (state.day?.choices?.[field] ?? []).find((c) => c.code === code);
  return found ? found.label : code;
}

function municipalityName(code) {
  return (state.day?.municipalities ?? []).find((m) => m.code === code)?.name ?? code;
}

function recipientName(id) {
  return (state.day?.recipients ?? []).find((r) => r.id === id)?.name ?? id;
}

// ----- the page --------------------------------------------------------------------------------

/** An element with attributes and children; text is always set as text, never parsed as HTML. */
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith("on")) el.addEventListener(name.slice(2), value);
    else if (value === true) el.setAttribute(name, "");
    else el.setAttribute(name, String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

function show(...content) {
  const main = document.getElementById("main");
  main.replaceChildren(...content.flat().filter((c) => c !== null && c !== undefined && c !== false));
  document.documentElement.lang = state.lang;
  renderHeader();
  main.querySelector("h1, h2")?.focus?.();
}

function renderHeader() {
  const status = document.getElementById("status");
  status.textContent = navigator.onLine ? t("online") : t("offline");
  status.className = navigator.onLine ? "status online" : "status offline";
  document.getElementById("title").textContent = t("app_long");
  // the shell's own words (index.html is Greek) follow the chosen language too, for screen readers
  document.title = t("app_long");
  document.getElementById("account").setAttribute("aria-label", t("account"));
  document.querySelector("a.skip").textContent = t("skip");
  document.getElementById("account").replaceChildren(
    ...(state.key
      ? [
          h("button", { type: "button", id: "lock", onclick: () => lock() }, t("lock")),
          " ",
          h("button", { type: "button", id: "logout", onclick: logOut }, t("log_out")),
        ]
      : []),
  );
  const other = state.lang === "el" ? "en" : "el";
  const switcher = document.getElementById("language");
  switcher.textContent = t("language");
  switcher.setAttribute("lang", other);
  switcher.onclick = () => {
    state.lang = other;
    route();
  };
}

function notice() {
  if (!state.notice) return null;
  const { text, kind } = state.notice;
  state.notice = null;
  return h("p", { class: `notice ${kind}`, role: kind === "error" ? "alert" : "status" }, text);
}

function say(text, kind = "ok") {
  state.notice = { text, kind };
}

// ----- forms -----------------------------------------------------------------------------------

let fieldSeq = 0;

function input(name, caption, attrs = {}) {
  const id = `f-${name}-${++fieldSeq}`;
  return h(
    "p",
    { class: "field" },
    h("label", { for: id }, caption),
    h("input", { id, name, ...attrs }),
    h("span", { class: "error", id: `${id}-error`, "aria-live": "polite" }),
  );
}

function select(name, caption, options, attrs = {}) {
  const id = `f-${name}-${++fieldSeq}`;
  const { value, ...rest } = attrs;
  return h(
    "p",
    { class: "field" },
    h("label", { for: id }, caption),
    h(
      "select",
      { id, name, ...rest },
      options.map(([code, text]) => h("option", { value: code, selected: code === value }, text)),
    ),
    h("span", { class: "error", id: `${id}-error`, "aria-live": "polite" }),
  );
}

function textarea(name, caption, attrs = {}) {
  const id = `f-${name}-${++fieldSeq}`;
  return h(
    "p",
    { class: "field" },
    h("label", { for: id }, caption),
    h("textarea", { id, name, rows: 2, ...attrs }),
    h("span", { class: "error", id: `${id}-error`, "aria-live": "polite" }),
  );
}

function yesNo(name, caption) {
  return select(name, caption, [
    ["false", t("no")],
    ["true", t("yes")],
  ]);
}

function choices(field) {
  return (state.day?.choices?.[field] ?? []).map((c) => [c.code, c.label]);
}

function dateInput(name, caption, required = true) {
  return input(name, caption, { type: "date", max: today(), value: required ? today() : "", required });
}

function municipalities() {
  return (state.day?.municipalities ?? []).map((m) => [m.code, m.name]);
}

/** A form whose fields are checked as the worker types, and whose values go to `save`. */
function form(title, content, save, attrs = {}) {
  const id = `form-${++fieldSeq}`;
  return h(
    "details",
    { class: "form", ...attrs },
    h("summary", {}, h("h3", { id: `${id}-title` }, title)),
    h(
      "form",
      {
        "aria-labelledby": `${id}-title`,
        novalidate: true,
        onsubmit: async (event) => {
          event.preventDefault();
          const el = event.target;
          if (!checked(el)) return;
          await save(values(el));
        },
      },
      content,
      h("p", {}, h("button", { type: "submit" }, t("save"))),
    ),
  );
}

function values(formEl) {
  const found = {};
  for (const el of formEl.elements) {
    if (!el.name) continue;
    if (el.type === "checkbox") {
      found[el.name] = found[el.name] ?? [];
      if (el.checked) found[el.name].push(el.value);
    } else found[el.name] = el.value.trim().normalize("NFC"); // Greek kept as one form (NFC)
  }
  return found;
}

/** The browser's own checks (required, max dates), each error said in the worker's language next
 * to its field and announced, the first field focused. */
function checked(formEl) {
  let first = null;
  for (const el of formEl.elements) {
    if (!el.name || !el.id) continue;
    const error = document.getElementById(`${el.id}-error`);
    let problem = "";
    if (el.validity.valueMissing) problem = t("required");
    else if (el.validity.rangeOverflow) problem = t("future_date");
    if (error) error.textContent = problem;
    el.setAttribute("aria-invalid", problem ? "true" : "false");
    if (problem && error) el.setAttribute("aria-describedby", error.id);
    if (problem && !first) first = el;
  }
  if (first) {
    first.focus();
    return false;
  }
  return true;
}

// ----- the platform ----------------------------------------------------------------------------

class Offline extends Error {}
class Unauthorised extends Error {}

async function call(method, path, body) {
  let response;
  try {
    response = await fetch(`${API}${path}`, {
      method,
      headers: {
        "Content-Type": "application/json",
        "Accept-Language": state.lang,
        ...(state.token ? { Authorization: `Bearer ${state.token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: "no-store",
    });
  } catch {
    throw new Offline();
  }
  const said = Date.parse(response.headers.get("Date") ?? "");
  if (!Number.isNaN(said)) state.clockAhead = Date.now() - said; // the tablet's clock, against ours
  const answer = await response.json().catch(() => ({}));
  if (response.status === 401) throw new Unauthorised(answer.error);
  if (!response.ok) throw Object.assign(new Error(answer.error ?? response.statusText), { answer });
  return answer;
}

function tookToken(answer) {
  state.token = answer.token;
  state.tokenUntil = Date.now() + (answer.expires_in ?? 900) * 1000;
}

async function renewToken() {
  if (!state.token) return false;
  if (Date.now() < state.tokenUntil - TOKEN_MARGIN_MS) return true;
  try {
    tookToken(await call("POST", "/auth/refresh"));
    return true;
  } catch (error) {
    if (error instanceof Offline) throw error;
    state.token = null;
    return false;
  }
}

// ----- logging in, unlocking, locking ---------------------------------------------------------

async function loginPage(message) {
  const vault = await store.kept();
  const title = vault ? t("unlock_title") : t("login_title");
  show(
    h("h2", { tabindex: -1 }, title),
    message ? h("p", { class: "notice error", role: "alert" }, message) : notice(),
    h("p", {}, vault ? t("unlock_help") : t("login_help")),
    h(
      "form",
      { id: "login", onsubmit: onLogin, "aria-label": title },
      input("username", t("username"), { autocomplete: "username", required: true }),
      input("password", t("password"), {
        type: "password",
        autocomplete: "current-password",
        required: true,
      }),
      h("p", {}, h("button", { type: "submit" }, vault ? t("unlock") : t("log_in"))),
    ),
  );
}

async function onLogin(event) {
  event.preventDefault();
  const { username, password } = values(event.target);
  const vault = await store.kept();
  if (vault && vault.username_check && !(await sameWorker(vault, username))) {
    return loginPage(t("other_worker"));
  }
  let key = vault ? await openVault(username, password, vault) : null;
  if (vault && !key) return loginPage(t("wrong_login"));
  if (navigator.onLine) {
    try {
      tookToken(await call("POST", "/auth/token", { username, password }));
    } catch (error) {
      if (error instanceof Unauthorised) return loginPage(vault ? t("password_changed") : t("wrong_login"));
      if (!(error instanceof Offline)) return loginPage(error.message);
      if (!vault) return loginPage(t("first_login_online"));
    }
  } else if (!vault) {
    return loginPage(t("first_login_online"));
  }
  if (key && state.token && !(await unsent(key))) {
    // online with nothing left to send: the trip's key ends with it and this login makes a new
    // one, so no data key outlives the session it was made in (the day is downloaded again)
    await store.wipe();
    key = null;
  }
  if (!key) {
    const made = await createVault(username, password);
    key = made.key;
    await store.keep({ ...made.kept, username_check: await digest(username) });
  }
  state.key = key;
  state.username = username;
  await load();
  route();
}

async function digest(text) {
  const bytes = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`kentra:${text}`));
  return new Uint8Array(bytes);
}

async function sameWorker(vault, username) {
  const mine = await digest(username);
  return mine.every((b, i) => b === vault.username_check[i]);
}

/** Whether the trip sealed under this key holds commands not yet on the platform. */
async function unsent(key) {
  const items = await store.outbox(key);
  return items.some((i) => i.status === "pending" || i.status === "conflict");
}

/** The sealed day and outbox into memory; a download past its expiry is deleted first. */
async function load() {
  state.day = await store.loadDay(state.key);
  if (state.day && new Date(state.day.expires_at) <= new Date()) {
    await store.dropDay();
    state.day = null;
    say(t("day_expired"), "error");
  }
  state.items = await store.outbox(state.key);
}

function lock(message) {
  state.key = null;
  state.token = null;
  state.day = null;
  state.items = [];
  if (message) say(message, "error");
  location.hash = "";
  loginPage();
}

let idle = null;
function stillHere() {
  clearTimeout(idle);
  idle = setTimeout(() => state.key && lock(t("locked_idle")), IDLE_MINUTES * 60_000);
}

async function logOut() {
  const pending = state.items.filter((i) => i.status === "pending" || i.status === "conflict");
  if (pending.length && !confirm(t("logout_pending", { n: pending.length }))) return;
  if (state.token && navigator.onLine) await call("POST", "/auth/logout").catch(() => {});
  await store.wipe();
  lock();
}

// ----- the day ---------------------------------------------------------------------------------

async function download() {
  if (!(await ensureToken(download))) return;
  const button = document.getElementById("download");
  if (button) button.textContent = t("downloading");
  try {
    const day = await call("POST", "/trips", {});
    await store.saveDay(state.key, day);
    state.day = day;
  } catch (error) {
    say(error instanceof Offline ? t("sync_offline") : error.message, "error");
  }
  route();
}

function people() {
  const downloaded = (state.day?.people ?? []).map((p) => ({ ...p, offline: false }));
  const registered = state.items
    .filter((i) => i.kind === "beneficiaries" && i.status !== "discarded")
    .map((i) => ({
      beneficiary_id: i.beneficiary_id,
      ...i.fields,
      case: { version: 0, closed: false, plan: null },
      consents: [],
      offline: true,
    }));
  return [...registered, ...downloaded];
}

function person(id) {
  return people().find((p) => p.beneficiary_id === id);
}

function fullName(p) {
  return `${p.given_name} ${p.family_name}`;
}

function home() {
  const pending = state.items.filter((i) => i.status === "pending");
  const open = state.items.filter((i) => ["pending", "conflict", "refused"].includes(i.status));
  const results = h("ul", { id: "people", class: "people", "aria-live": "polite" });
  const list = (typed) => {
    const found = people()
      .map((p) => ({ p, score: typed.trim() ? matches(typed, fullName(p)) : 0 }))
      .filter((r) => r.score !== null)
      .sort((a, b) => b.score - a.score || fullName(a.p).localeCompare(fullName(b.p), "el"));
    results.replaceChildren(
      ...(found.length
        ? found.map(({ p }) =>
            h(
              "li",
              {},
              h("a", { href: `#person/${p.beneficiary_id}` }, fullName(p)),
              " · ",
              municipalityName(p.municipality_code),
              p.birth_date ? ` · ${day(p.birth_date)}` : "",
              p.offline ? h("span", { class: "tag" }, ` (${t("registered_offline")})`) : "",
            ),
          )
        : [h("li", {}, t("no_match"))]),
    );
  };
  const day_ = state.day;
  // a tablet whose clock is wrong would have the day's work refused at the sync: say it now
  const skewed = Math.abs(state.clockAhead ?? 0) > CLOCK_SKEW_MS;
  show(
    h("h2", { tabindex: -1 }, t("app")),
    notice(),
    skewed ? h("p", { class: "notice error", role: "alert", id: "clock" }, t("clock_wrong")) : null,
    h(
      "section",
      { "aria-labelledby": "day-title" },
      h("h3", { id: "day-title" }, day_ ? day_.site_name : t("download")),
      day_
        ? h(
            "p",
            { id: "day" },
            t("downloaded", {
              when: when(day_.downloaded_at),
              people: counted("people", day_.people.length),
              municipalities: day_.municipalities.map((m) => m.name).join(", "),
              expires: when(day_.expires_at),
            }),
          )
        : h("p", {}, t("no_day")),
      h(
        "p",
        {},
        h(
          "button",
          { id: "download", type: "button", onclick: download, disabled: !navigator.onLine },
          t("download"),
        ),
        " ",
        h("span", { class: "hint" }, t("download_help")),
      ),
    ),
    h(
      "section",
      { "aria-labelledby": "outbox-title" },
      h("h3", { id: "outbox-title" }, `${t("outbox")} (${pending.length})`),
      h(
        "p",
        {},
        h(
          "button",
          { id: "sync", type: "button", onclick: sync, disabled: !navigator.onLine || !pending.length },
          t("sync"),
        ),
        h("span", { class: "hint", id: "sync-hint" }, navigator.onLine ? "" : ` ${t("sync_offline")}`),
      ),
      open.length ? itemList(open) : h("p", {}, t("outbox_empty")),
    ),
    day_ || people().length
      ? h(
          "section",
          { "aria-labelledby": "people-title" },
          h("h3", { id: "people-title" }, t("people")),
          h(
            "p",
            { class: "field" },
            h("label", { for: "search" }, t("search")),
            h("input", {
              id: "search",
              type: "search",
              autocomplete: "off",
              "aria-describedby": "search-help",
              oninput: (e) => list(e.target.value),
            }),
            h("span", { id: "search-help", class: "hint" }, t("search_help")),
          ),
          results,
          h("p", {}, h("a", { href: "#register", class: "button" }, t("register"))),
        )
      : null,
  );
  list("");
}

function itemList(items) {
  return h(
    "ul",
    { class: "items" },
    items.map((i) => {
      const p = person(i.beneficiary_id);
      return h(
        "li",
        { class: `item ${i.status}`, "data-command": i.command_id },
        h("strong", {}, t(`kind_${i.kind}`)),
        " · ",
        p ? fullName(p) : (i.who ?? ""), // named as recorded, after the download expired too
        " · ",
        when(i.occurred_at),
        " · ",
        h("span", { class: "item-status" }, t(`status_${i.status}`)),
        i.error ? h("span", { class: "item-error" }, ` — ${i.error}`) : "",
        i.status === "conflict"
          ? h("a", { href: `#conflict/${i.seq}`, class: "button" }, t("resolve"))
          : "",
        i.status === "refused"
          ? h("button", { type: "button", onclick: () => discard(i) }, t("acknowledge"))
          : "",
      );
    }),
  );
}

// ----- recording offline -----------------------------------------------------------------------

/** The base every command of this trip on a person's case carries: the version downloaded (or
 * agreed in a resolved conflict); the platform chains the trip's own commands on it. */
function baseOf(beneficiaryId) {
  return person(beneficiaryId)?.case?.version ?? 0;
}

async function record(kind, beneficiaryId, fields, base) {
  const item = {
    command_id: crypto.randomUUID(),
    kind,
    beneficiary_id: beneficiaryId,
    base_version: base ?? baseOf(beneficiaryId),
    occurred_at: new Date().toISOString(),
    fields,
    who: person(beneficiaryId) ? fullName(person(beneficiaryId)) : `${fields.given_name} ${fields.family_name}`,
    trip_id: state.day.trip_id, // kept on the command: it syncs even after the download expired
    status: "pending",
  };
  item.seq = await store.addToOutbox(state.key, item);
  state.items.push(item);
  say(t("saved"));
}

function staffFields() {
  return { site: state.day.site, staff_id: state.day.staff_id };
}

function registerPage() {
  show(
    h("h2", { tabindex: -1 }, t("register")),
    notice(),
    h(
      "form",
      {
        id: "register",
        novalidate: true,
        onsubmit: async (event) => {
          event.preventDefault();
          if (!checked(event.target)) return;
          const v = values(event.target);
          const id = crypto.randomUUID();
          await record("beneficiaries", id, {
            given_name: v.given_name,
            family_name: v.family_name,
            birth_date: v.birth_date || null,
            phone: v.phone || null,
            gender: v.gender || null,
            municipality_code: v.municipality_code,
            site: state.day.site,
          }, 0);
          location.hash = `#person/${id}`;
        },
      },
      input("given_name", t("given_name"), { required: true, maxlength: 100 }),
      input("family_name", t("family_name"), { required: true, maxlength: 100 }),
      dateInput("birth_date", t("birth_date"), false),
      input("phone", t("phone"), { type: "tel", maxlength: 30 }),
      select("gender", t("gender"), [["", t("not_given")], ...choices("genders")]),
      select("municipality_code", t("municipality"), municipalities()),
      h("p", {}, h("button", { type: "submit" }, t("save"))),
    ),
    h("p", {}, h("a", { href: "#" }, t("back"))),
  );
}

function personPage(id) {
  const p = person(id);
  if (!p || !state.day) return home(); // recording needs the day: the site, the choices, the agencies
  const mine = state.items.filter((i) => i.beneficiary_id === id);
  const plan = p.case?.plan;
  const planId = plan?.plan_id ?? mine.find((i) => i.kind === "action-plans")?.fields.plan_id;
  const offlineSteps = mine.filter((i) => i.kind === "action-steps").map((i) => i.fields);
  const doneOffline = new Set(mine.filter((i) => i.kind === "action-steps-done").map((i) => i.fields.step_id));
  const steps = [...(plan?.steps ?? []), ...offlineSteps.map((s) => ({ ...s, done: false }))];
  const save = (kind) => async (fields) => {
    await record(kind, id, fields);
    personPage(id);
  };
  show(
    h("h2", { tabindex: -1 }, fullName(p)),
    notice(),
    h(
      "dl",
      { class: "facts" },
      h("dt", {}, t("birth_date")),
      h("dd", {}, p.birth_date ? day(p.birth_date) : "—"),
      h("dt", {}, t("phone")),
      h("dd", {}, p.phone || "—"),
      h("dt", {}, t("municipality")),
      h("dd", {}, municipalityName(p.municipality_code)),
      h("dt", {}, t("consents_in_force")),
      h("dd", {}, consentsOf(p, mine).length ? consentsOf(p, mine).join(", ") : t("none")),
    ),
    h("h3", {}, t("plan")),
    planId
      ? h(
          "ul",
          { class: "steps" },
          steps.map((s) =>
            h(
              "li",
              {},
              s.description,
              s.due_on ? ` · ${t("due_on")} ${day(s.due_on)}` : "",
              s.done || doneOffline.has(s.step_id)
                ? h("span", { class: "tag" }, ` · ${t("done")}`)
                : h(
                    "button",
                    {
                      type: "button",
                      onclick: () =>
                        save("action-steps-done")({ plan_id: planId, step_id: s.step_id, done_on: today() }),
                    },
                    `${t("step_done")}: ${s.description}`,
                  ),
            ),
          ),
        )
      : h("p", {}, t("no_plan")),
    form(
      t("contact"),
      [
        dateInput("occurred_on", t("date")),
        select("channel", t("channel"), choices("channels"), { value: "mobile_unit_visit" }),
        select("municipality_code", t("municipality"), municipalities(), { value: p.municipality_code }),
        textarea("notes", t("notes"), { maxlength: 2000 }),
      ],
      (v) => save("contacts")({ ...v, notes: v.notes || null, ...staffFields() }),
    ),
    form(
      t("service"),
      [dateInput("occurred_on", t("date")), select("service", t("service"), choices("services")), textarea("notes", t("notes"), { maxlength: 2000 })],
      (v) => save("services")({ ...v, notes: v.notes || null, ...staffFields() }),
    ),
    form(
      t("assessment"),
      [
        dateInput("assessed_on", t("date")),
        h(
          "fieldset",
          {},
          h("legend", {}, t("groups")),
          choices("vulnerable_groups").map(([code, text]) =>
            h("label", { class: "check" }, h("input", { type: "checkbox", name: "groups", value: code }), ` ${text}`),
          ),
        ),
        textarea("needs", t("needs"), { required: true }),
        input("household_size", t("household_size"), { type: "number", min: 1, max: 30, value: 1, required: true }),
        select("labour_status", t("labour_status"), choices("labour_status")),
        select("education", t("education"), choices("education")),
        yesNo("disability", t("disability")),
        input("citizenship", t("citizenship"), { value: "GR", required: true, maxlength: 3 }),
        yesNo("foreign_background", t("foreign_background")),
        input("housing", t("housing"), { required: true, maxlength: 100 }),
        yesNo("rural", t("rural")),
      ],
      (v) =>
        save("assessments")({
          ...v,
          needs: v.needs.split("\n").map((n) => n.trim()).filter(Boolean),
          household_size: Number(v.household_size),
          disability: v.disability === "true",
          foreign_background: v.foreign_background === "true",
          rural: v.rural === "true",
          citizenship: v.citizenship.toUpperCase(),
        }),
    ),
    planId
      ? form(
          t("add_step"),
          [textarea("description", t("step_description"), { required: true, maxlength: 500 }), dateInput("due_on", t("due_on"), false)],
          (v) =>
            save("action-steps")({
              plan_id: planId,
              step_id: `s-${crypto.randomUUID().slice(0, 8)}`,
              description: v.description,
              due_on: v.due_on || null,
            }),
        )
      : form(
          t("open_plan"),
          [dateInput("opened_on", t("date")), textarea("goals", t("goals"), { required: true, maxlength: 2000 })],
          (v) => save("action-plans")({ plan_id: crypto.randomUUID(), opened_on: v.opened_on, goals: v.goals }),
        ),
    form(
      t("consent"),
      [
        select("recipient", t("recipient"), recipients()),
        textarea("purpose", t("purpose"), { required: true, maxlength: 500 }),
        dateInput("given_on", t("date")),
        input("until", t("until"), { type: "date", min: today() }),
      ],
      (v) => save("consents")({ ...v, until: v.until || null }),
    ),
    form(
      t("referral"),
      [
        select("need", t("need"), choices("needs")),
        select("recipient", t("recipient"), recipients()),
        yesNo("shares_personal_data", t("shares")),
        textarea("notes", t("notes"), { maxlength: 2000 }),
      ],
      async (v) => {
        const recipient = (state.day.recipients ?? []).find((r) => r.id === v.recipient);
        await record(
          "referrals",
          id,
          {
            referral_id: crypto.randomUUID(),
            from_site: state.day.site,
            need: v.need,
            recipient_kind: recipient.kind,
            recipient_id: recipient.id,
            recipient_name: recipient.name,
            shares_personal_data: v.shares_personal_data === "true",
            requested_on: today(),
            notes: v.notes || null,
          },
          0, // a new referral's own stream starts empty
        );
        personPage(id);
      },
    ),
    mine.length ? [h("h3", {}, t("recorded_here")), itemList(mine)] : null,
    h("p", {}, h("a", { href: "#" }, t("back"))),
  );
}

/** The consents in force as downloaded, and those recorded on this trip (not yet on the platform). */
function consentsOf(p, mine) {
  const recorded = mine
    .filter((i) => i.kind === "consents" && i.status !== "discarded" && i.status !== "refused")
    .map((i) => `${recipientName(i.fields.recipient)} (${t("recorded_offline")})`);
  return [...(p.consents ?? []).map(recipientName), ...recorded];
}

function recipients() {
  return (state.day?.recipients ?? []).map((r) => [r.id, r.name]);
}

// ----- syncing ---------------------------------------------------------------------------------

/** A token for the sync: the one in memory if it is still good, else the worker's password again
 * (a trip outlives the 15 minutes a token lives; the password is never kept). */
async function ensureToken(then) {
  try {
    if (await renewToken()) return true;
  } catch {
    say(t("sync_offline"), "error");
    route();
    return false;
  }
  reloginPage(then);
  return false;
}

/** The password once more, then what the worker asked for (the download or the sync). */
function reloginPage(then) {
  show(
    h("h2", { tabindex: -1 }, t("log_in")),
    h("p", { class: "notice error", role: "alert" }, t("relogin")),
    h(
      "form",
      {
        id: "relogin",
        onsubmit: async (event) => {
          event.preventDefault();
          const { password } = values(event.target);
          try {
            tookToken(await call("POST", "/auth/token", { username: state.username, password }));
          } catch (error) {
            say(error instanceof Unauthorised ? t("wrong_login") : t("sync_failed"), "error");
            return route();
          }
          await then();
        },
      },
      input("password", t("password"), { type: "password", autocomplete: "current-password", required: true }),
      h("p", {}, h("button", { type: "submit" }, t("log_in"))),
    ),
  );
}

/** The outbox in its order, in batches the contract allows; each answer kept on its command. A
 * lost answer leaves the commands pending: sent again, they are answered already applied. */
async function sync() {
  if (!(await ensureToken(sync))) return;
  const button = document.getElementById("sync");
  if (button) button.textContent = t("syncing");
  const counts = { applied: 0, already_applied: 0, conflict: 0, refused: 0 };
  try {
    for (const batch of batches(state.items.filter((i) => i.status === "pending"))) {
      const answer = await call("POST", "/sync", {
        trip_id: batch[0].trip_id,
        commands: batch.map(({ command_id, kind, beneficiary_id, base_version, occurred_at, fields }) => ({
          command_id,
          kind,
          beneficiary_id,
          base_version,
          occurred_at,
          fields,
        })),
      });
      for (const result of answer.results) {
        const item = state.items.find((i) => i.command_id === result.command_id);
        Object.assign(item, {
          status: result.status,
          version: result.version ?? null,
          error: result.error ?? null,
          details: result.details ?? null,
          current: result.current ?? null,
        });
        counts[result.status] += 1;
        await store.updateOutbox(state.key, item);
      }
    }
    say(
      t("sync_done", {
        applied: counts.applied,
        already: counts.already_applied,
        conflict: counts.conflict,
        refused: counts.refused,
      }),
      counts.conflict || counts.refused ? "error" : "ok",
    );
  } catch (error) {
    say(error instanceof Offline ? t("sync_failed") : error.message, "error");
  }
  route();
}

/** Runs of the outbox's order with one trip each, at most 100 commands (the contract allows 500). */
function batches(items) {
  const runs = [];
  for (const item of items) {
    const last = runs[runs.length - 1];
    if (last && last[0].trip_id === item.trip_id && last.length < 100) last.push(item);
    else runs.push([item]);
  }
  return runs;
}

async function discard(item) {
  item.status = "discarded";
  await store.updateOutbox(state.key, item);
  route();
}

// what each command's fields are called on the page; other fields are not shown
const FIELD_WORDS = {
  occurred_on: "date",
  assessed_on: "date",
  given_on: "date",
  opened_on: "date",
  done_on: "date",
  requested_on: "date",
  channel: "channel",
  service: "service",
  municipality_code: "municipality",
  notes: "notes",
  recipient: "recipient",
  purpose: "purpose",
  until: "until",
  goals: "goals",
  description: "step_description",
  due_on: "due_on",
  need: "need",
  recipient_name: "recipient",
  household_size: "household_size",
  labour_status: "labour_status",
  education: "education",
};
const VALUE_FIELDS = { channel: "channels", service: "services", need: "needs", labour_status: "labour_status", education: "education" };

function shown(field, value) {
  if (value === null || value === undefined || value === "") return "—";
  if (field === "municipality_code") return municipalityName(value);
  if (field === "recipient") return recipientName(value);
  if (field === "site") return value === state.day?.site ? state.day.site_name : recipientName(value);
  if (field in VALUE_FIELDS) return label(VALUE_FIELDS[field], value);
  if (/_on$|^until$/.test(field)) return day(value);
  if (typeof value === "boolean") return value ? t("yes") : t("no");
  return Array.isArray(value) ? value.join(", ") : String(value);
}

function fieldsTable(caption, fields) {
  const rows = Object.entries(fields).filter(([f]) => f in FIELD_WORDS);
  return h(
    "table",
    {},
    h("caption", {}, caption),
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("field")), h("th", { scope: "col" }, t("value")))),
    h(
      "tbody",
      {},
      rows.map(([f, v]) => h("tr", {}, h("th", { scope: "row" }, t(FIELD_WORDS[f])), h("td", {}, shown(f, v)))),
    ),
  );
}

function conflictPage(seq) {
  const item = state.items.find((i) => String(i.seq) === seq);
  if (!item || item.status !== "conflict") return home();
  const p = person(item.beneficiary_id);
  show(
    h("h2", { tabindex: -1 }, `${t("conflict_title")}: ${p ? fullName(p) : ""}`),
    h("p", {}, t("conflict_help")),
    item.error ? h("p", { class: "notice error" }, item.error) : null,
    h(
      "div",
      { class: "conflict" },
      h(
        "section",
        { "aria-labelledby": "yours" },
        h("h3", { id: "yours" }, t("yours")),
        fieldsTable(`${t(`kind_${item.kind}`)} · ${when(item.occurred_at)}`, item.fields),
      ),
      h(
        "section",
        { "aria-labelledby": "theirs" },
        h("h3", { id: "theirs" }, t("theirs")),
        (item.current ?? []).map((e) =>
          fieldsTable(
            `${EVENTS[state.lang][e.type] ?? e.type} · ${e.occurred_at ? when(e.occurred_at) : ""} · ${t("by_whom")}: ${e.actor_name ?? e.actor ?? "—"} · ${t("where")}: ${e.site_name ?? shown("site", e.site)}`,
            e.fields,
          ),
        ),
      ),
    ),
    h(
      "p",
      {},
      h(
        "button",
        {
          type: "button",
          id: "keep-mine",
          onclick: async () => {
            // recorded on top of what happened meanwhile, which the worker has now seen: the later
            // commands of the trip on this person chain on the same version
            setBase(item.beneficiary_id, item.version);
            for (const other of state.items) {
              if (other.beneficiary_id === item.beneficiary_id && other.kind !== "referrals" && other.kind !== "beneficiaries" && (other === item || other.status === "pending")) {
                other.base_version = item.version;
                if (other === item) Object.assign(other, { status: "pending", error: null, current: null });
                await store.updateOutbox(state.key, other);
              }
            }
            await store.saveDay(state.key, state.day);
            location.hash = "";
            await sync();
          },
        },
        t("keep_mine"),
      ),
      " ",
      h("button", { type: "button", id: "drop-mine", onclick: async () => { await discard(item); location.hash = ""; } }, t("drop_mine")),
    ),
    h("p", {}, h("a", { href: "#" }, t("back"))),
  );
}

function setBase(beneficiaryId, version) {
  const found = state.day?.people?.find((p) => p.beneficiary_id === beneficiaryId);
  if (found) found.case.version = version;
}

// ----- routes ----------------------------------------------------------------------------------

function route() {
  if (!state.key) return loginPage();
  const [page, arg] = location.hash.slice(1).split("/");
  if (page === "person") return personPage(arg);
  if (page === "register" && state.day) return registerPage();
  if (page === "conflict") return conflictPage(arg);
  return home();
}

window.addEventListener("hashchange", route);
/** The signal came or went: the header and the buttons that need it change, the page does not
 * (in the mountains it flaps, and a half-typed form must survive it). */
function signalChanged() {
  renderHeader();
  const pending = state.items.some((i) => i.status === "pending");
  const sync = document.getElementById("sync");
  if (sync) sync.disabled = !navigator.onLine || !pending;
  const download = document.getElementById("download");
  if (download) download.disabled = !navigator.onLine;
  const hint = document.getElementById("sync-hint");
  if (hint) hint.textContent = navigator.onLine ? "" : ` ${t("sync_offline")}`;
}

window.addEventListener("online", signalChanged);
window.addEventListener("offline", signalChanged);
for (const kind of ["pointerdown", "keydown"]) window.addEventListener(kind, stillHere, { passive: true });

if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/mobile/sw.js", { scope: "/mobile/" }).catch(() => {});
}
stillHere();
route();
