// The app's IndexedDB, through idb: what survives a closed tab, a reload and a restarted device
// while offline. Three stores, none holding anything readable:
//   vault  – the wrapped data key (vault.js), the download's expiry and the failed unlocks;
//   sealed – the day's download, sealed;
//   outbox – the commands recorded offline, one sealed record each, in the order recorded (the
//            auto-increment key is the order the sync sends them in).
import { openDB, deleteDB } from "idb";
import { seal, unseal } from "./vault.js";

const NAME = "kentra-mobile";

function open() {
  return openDB(NAME, 1, {
    upgrade(db) {
      db.createObjectStore("vault");
      db.createObjectStore("sealed");
      db.createObjectStore("outbox", { autoIncrement: true });
    },
  });
}

/** `work` on the opened database, closed after it whatever happens (an open connection would
 * block the deletion at logout). Sealing is done before: a transaction that waits on anything
 * but IndexedDB commits itself. */
async function using(work) {
  const db = await open();
  try {
    return await work(db);
  } finally {
    db.close();
  }
}

/** The wrapped key of the trip on this device, or null; asking creates nothing (after a logout the
 * device must hold no database at all). */
export async function kept() {
  const found = await indexedDB.databases();
  if (!found.some((d) => d.name === NAME)) return null;
  return using((db) => db.get("vault", "vault"));
}

export function keep(vault) {
  return using((db) => db.put("vault", vault, "vault"));
}

export async function saveDay(key, day) {
  const sealed = await seal(key, "sealed/day", day);
  return using((db) => db.put("sealed", sealed, "day"));
}

export async function loadDay(key) {
  const found = await using((db) => db.get("sealed", "day"));
  return found ? unseal(key, "sealed/day", found) : null;
}

/** Forgets the download (expired), keeping the outbox: recorded work is never dropped silently. */
export function dropDay() {
  return using((db) => db.delete("sealed", "day"));
}

/** Adds a command to the outbox; answers its place in the order. The seal is bound to the
 * command's id (random, kept beside it), so records cannot be swapped between places. */
export async function addToOutbox(key, item) {
  const sealed = await seal(key, `outbox/${item.command_id}`, item);
  return using((db) => db.add("outbox", { ref: item.command_id, ...sealed }));
}

export async function updateOutbox(key, item) {
  const sealed = await seal(key, `outbox/${item.command_id}`, item);
  return using((db) => db.put("outbox", { ref: item.command_id, ...sealed }, item.seq));
}

/** Every command recorded offline, in the order recorded, each with its place (`seq`). */
export async function outbox(key) {
  const [keys, values] = await using((db) => Promise.all([db.getAllKeys("outbox"), db.getAll("outbox")]));
  return Promise.all(
    keys.map(async (seq, i) => ({ ...(await unseal(key, `outbox/${values[i].ref}`, values[i])), seq })),
  );
}

/** Logout, or a trip that ended: nothing of it stays on the device. */
export async function wipe() {
  await deleteDB(NAME);
}
