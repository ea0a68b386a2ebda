// Claim links: `<page>/#claim=<base64url JSON {member, stampId, nonce, deadline, signature}>` (backend/protocol.py).
import { t } from "./i18n.js";

function base64UrlDecode(text) {
  const b64 = text.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (text.length % 4)) % 4);
  const binary = atob(b64);
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

// The voucher in `hash` (location.hash), null if there is none; throws a readable Error if the link is damaged.
export function voucherFromHash(hash) {
  const match = /(?:^#|&)claim=([A-Za-z0-9_-]+)/.exec(hash || "");
  if (!match) return null;
  let data;
  try {
    // Nonces exceed 2^53: keep every number as its exact digits before JSON.parse turns them into floats.
    const text = base64UrlDecode(match[1]).replace(/"(stampId|nonce|deadline)"\s*:\s*(\d+)/g, '"$1":"$2"');
    data = JSON.parse(text);
  } catch {
    throw new Error(t("claim.damaged"));
  }
  const ok =
    data && /^0x[0-9a-fA-F]{40}$/.test(data.member) && /^0x[0-9a-fA-F]{130}$/.test(data.signature) &&
    ["stampId", "nonce", "deadline"].every((k) => /^\d+$/.test(String(data[k])));
  if (!ok) throw new Error(t("claim.incomplete"));
  return {
    member: data.member,
    stampId: BigInt(data.stampId),
    nonce: BigInt(data.nonce),
    deadline: BigInt(data.deadline),
    signature: data.signature,
  };
}
