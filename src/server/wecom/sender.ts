/**
 * Sends a text message to one person through the app (message/send). A refused token is
 * replaced once; WeCom's "too frequent" and "busy" codes are retried with growing pauses; any
 * other errcode is final, since WeCom did not take the message and will not on a retry.
 */
import { callWecom, WecomApiError } from "./api.js";
import type { TokenSource } from "./token.js";

/** 40014 invalid token, 41001 missing token, 42001 expired token. */
const TOKEN_REFUSED = new Set([40014, 41001, 42001]);
/** -1 system busy, 45009 API frequency limit, 45033 too many concurrent calls. */
const TRY_LATER = new Set([-1, 45009, 45033]);

export interface SenderOptions {
  apiRoot: string;
  agentId: number;
  /** The first pause after "too frequent"; it doubles each time. */
  retryDelayMs?: number;
  /** How many times a busy answer is retried before the message is given up. */
  retries?: number;
}

export class WecomSender {
  constructor(
    private readonly tokens: TokenSource,
    private readonly opts: SenderOptions,
  ) {}

  async sendText(toUser: string, content: string): Promise<void> {
    const delay = this.opts.retryDelayMs ?? 1000;
    const retries = this.opts.retries ?? 3;
    let tokenReplaced = false;
    for (let busy = 0; ; ) {
      const token = await this.tokens.get();
      const url = new URL(`${this.opts.apiRoot}/cgi-bin/message/send`);
      url.searchParams.set("access_token", token);
      try {
        await callWecom(url, "message/send", { touser: toUser, msgtype: "text", agentid: this.opts.agentId, text: { content }, safe: 0 });
        return;
      } catch (e) {
        if (!(e instanceof WecomApiError)) throw e;
        if (TOKEN_REFUSED.has(e.errcode) && !tokenReplaced) {
          this.tokens.invalidate(token);
          tokenReplaced = true;
        } else if (TRY_LATER.has(e.errcode) && busy < retries) {
          await new Promise((ok) => setTimeout(ok, delay * 2 ** busy));
          busy++;
        } else throw e;
      }
    }
  }
}
