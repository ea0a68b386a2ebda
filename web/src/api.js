// The Odyssey API (same origin) and the relay. Every request says the member's language (Accept-Language): names,
// descriptions and the issuer's sign-in statement come back in it.
import { locale, t } from "./i18n.js";

// `code`: the refusal's stable name when the body gives one (the issuer's, backend/issuer/refusals.py; the relay's,
// backend/relay/refusals.py), what the page words in the member's language; `message` stays the server's English line.
export class ApiError extends Error {
  constructor(message, status, code = null) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

function messageOf(body, status) {
  if (body && typeof body.message === "string") return body.message;
  if (body && typeof body.detail === "string") return body.detail;
  if (body && Array.isArray(body.detail)) return body.detail.map((d) => d.msg).join("; ");
  return t("error.status", { status });
}

export const api = {
  async get(path, { allow404 = false, headers = {} } = {}) {
    const response = await fetch(path, { headers: { Accept: "application/json", "Accept-Language": locale, ...headers } });
    if (allow404 && response.status === 404) return null;
    const body = await response.json().catch(() => null);
    if (!response.ok && response.status !== 503) throw new ApiError(messageOf(body, response.status), response.status, body?.code);
    return body;
  },

  async post(path, payload, headers = {}) {
    const response = await fetch(path, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json", "Accept-Language": locale, ...headers },
      body: JSON.stringify(payload),
    });
    const body = await response.json().catch(() => null);
    if (!response.ok) throw new ApiError(messageOf(body, response.status), response.status, body?.code);
    return body;
  },
};

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Poll the relay until the transaction it sent is mined (its block number) or failed (an Error with the reason).
export async function waitForRelayed(relayUrl, txHash, { timeoutMs = 120000 } = {}) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const status = await api.get(`${relayUrl}/${txHash}`);
    if (status.status === "mined") return status.blockNumber;
    if (status.status === "failed") throw new ApiError(status.error || t("error.refused"), 422);
    await sleep(700);
  }
  throw new ApiError(t("error.slow"), 504);
}

// Wait until the API's records include block `number`.
export async function waitForIndexed(number, { timeoutMs = 120000 } = {}) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const health = await api.get("/health");
    if (health && health.indexed_block !== null && health.indexed_block >= number) return health;
    await sleep(500);
  }
  throw new ApiError(t("error.indexing"), 504);
}
