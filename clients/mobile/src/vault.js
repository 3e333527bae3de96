// A lost tablet reveals nothing: everything the app keeps is sealed with AES-GCM under a data key
// that exists in clear only in this page's memory. At rest the data key is wrapped (AES-KW) under
// a key derived from the worker's username and password (PBKDF2), so opening the store offline
// needs the password, a thief gets ciphertext, and a guess costs the PBKDF2 work per try.
// The data key is made at the first login of a trip and dies with it: logout, the download's
// expiry and a failed-unlock limit delete it with the data (store.js `wipe`).

const ITERATIONS = 310_000; // OWASP's figure for PBKDF2-HMAC-SHA256
const encoder = new TextEncoder();
const decoder = new TextDecoder();

async function wrappingKey(username, password, salt, iterations) {
  const material = await crypto.subtle.importKey(
    "raw",
    encoder.encode(`${username}\u0000${password}`),
    "PBKDF2",
    false,
    ["deriveKey"],
  );
  return crypto.subtle.deriveKey(
    { name: "PBKDF2", hash: "SHA-256", salt, iterations },
    material,
    { name: "AES-KW", length: 256 },
    false,
    ["wrapKey", "unwrapKey"],
  );
}

/** A new data key for a trip: the key in memory (not extractable) and its wrapped form to keep. */
export async function createVault(username, password) {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const kek = await wrappingKey(username, password, salt, ITERATIONS);
  const fresh = await crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, true, [
    "encrypt",
    "decrypt",
  ]);
  const wrapped = await crypto.subtle.wrapKey("raw", fresh, kek, "AES-KW");
  const kept = { salt, iterations: ITERATIONS, wrapped: new Uint8Array(wrapped) };
  return { key: await unwrap(kek, kept.wrapped), kept };
}

/** The data key, if this username and password are the trip's (AES-KW checks its integrity). */
export async function openVault(username, password, kept) {
  const kek = await wrappingKey(username, password, kept.salt, kept.iterations);
  try {
    return await unwrap(kek, kept.wrapped);
  } catch {
    return null;
  }
}

function unwrap(kek, wrapped) {
  return crypto.subtle.unwrapKey("raw", wrapped, kek, "AES-KW", { name: "AES-GCM" }, false, [
    "encrypt",
    "decrypt",
  ]);
}

/** A value sealed for one place (`where`: its store and key), so a sealed record moved to another
 * place does not open there. */
export async function seal(key, where, value) {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const data = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: encoder.encode(where) },
    key,
    encoder.encode(JSON.stringify(value)),
  );
  return { iv, data: new Uint8Array(data) };
}

export async function unseal(key, where, sealed) {
  const plain = await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: sealed.iv, additionalData: encoder.encode(where) },
    key,
    sealed.data,
  );
  return JSON.parse(decoder.decode(plain));
}
