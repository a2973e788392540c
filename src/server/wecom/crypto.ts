/**
 * WeCom's callback security (加解密方案): a SHA1 signature over the token, timestamp, nonce and
 * ciphertext, and an AES-256-CBC envelope whose tail names its receiver (our corp id). The
 * cryptography is WeCom's own package (@wecom/crypto); this module decides what each failure means.
 */
import { timingSafeEqual } from "node:crypto";
import { decrypt, getSignature } from "@wecom/crypto";

/** Why a callback was refused; each has its HTTP status in REJECT_STATUS. */
export type RejectCode =
  | "missing_parameter"
  | "bad_signature"
  | "stale_timestamp"
  | "replayed_nonce"
  | "bad_ciphertext"
  | "wrong_receiver"
  | "malformed_xml"
  | "body_too_large"
  | "busy";

export const REJECT_STATUS = {
  missing_parameter: 400,
  malformed_xml: 400,
  bad_ciphertext: 400,
  // Not from WeCom, or no longer: the signature does not match, or the request is outside the window.
  bad_signature: 401,
  stale_timestamp: 401,
  // Signed with our token but sealed for another corp (or with another key).
  wrong_receiver: 403,
  replayed_nonce: 409,
  body_too_large: 413,
  // Too much queued: WeCom delivers again later.
  busy: 503,
} as const satisfies Record<RejectCode, number>;

export class CallbackRejected extends Error {
  override name = "CallbackRejected";
  constructor(readonly code: RejectCode) {
    super(code);
  }
}

/** Whether `signature` is WeCom's msg_signature for these values; compared in constant time. */
export function signatureMatches(token: string, timestamp: string, nonce: string, encrypted: string, signature: string): boolean {
  const want = Buffer.from(getSignature(token, timestamp, nonce, encrypted), "utf8");
  const got = Buffer.from(signature.toLowerCase(), "utf8");
  return want.length === got.length && timingSafeEqual(want, got);
}

/** The plaintext of an envelope sealed for `receiveId`; refuses anything else. */
export function openEnvelope(aesKey: string, encrypted: string, receiveId: string): string {
  let opened: { message: string; id: string };
  try {
    opened = decrypt(aesKey, encrypted);
  } catch {
    // Not a whole number of AES blocks, or too short to hold the length field.
    throw new CallbackRejected("bad_ciphertext");
  }
  // A different key decrypts to noise, whose tail is not our corp id either.
  if (opened.id !== receiveId) throw new CallbackRejected("wrong_receiver");
  return opened.message;
}
