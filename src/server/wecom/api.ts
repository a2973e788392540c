/**
 * One call to WeCom's server API. Every answer is JSON with `errcode` (0 is success) even when
 * HTTP says 200, so a non-zero errcode becomes a WecomApiError the callers can act on. URLs carry
 * the secret or the access token, so neither a URL nor a fetch error's text is ever passed on.
 */

/** A call that hangs fails after this; the sender then gives up on that message. */
const CALL_TIMEOUT_MS = 10_000;

export class WecomApiError extends Error {
  override name = "WecomApiError";
  constructor(
    readonly errcode: number,
    errmsg: string,
    /** gettoken or message/send: the method, never the URL. */
    readonly method: string,
  ) {
    super(`${method}: errcode ${errcode} ${errmsg}`);
  }
}

export interface WecomResult {
  errcode: number;
  errmsg?: string;
  [field: string]: unknown;
}

export async function callWecom(url: URL, method: string, body?: unknown): Promise<WecomResult> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: body === undefined ? "GET" : "POST",
      ...(body === undefined ? {} : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
    });
  } catch (e) {
    throw new Error(`${method}: request failed (${(e as Error).name})`);
  }
  let json: unknown;
  try {
    json = await res.json();
  } catch {
    throw new Error(`${method}: HTTP ${res.status} without a JSON answer`);
  }
  const result = json as Partial<WecomResult> | null;
  if (result === null || typeof result !== "object" || typeof result.errcode !== "number") throw new Error(`${method}: HTTP ${res.status}, no errcode in the answer`);
  if (result.errcode !== 0) throw new WecomApiError(result.errcode, String(result.errmsg ?? ""), method);
  return result as WecomResult;
}
