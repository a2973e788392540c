/**
 * The app's access_token (gettoken with corpid and corpsecret), kept until shortly before it
 * expires: WeCom limits how often gettoken may be called, and every message needs a token.
 * Concurrent senders share one fetch. A token WeCom refuses (40014, 42001) is dropped by the
 * sender through invalidate(), and the next get() fetches a new one.
 */
import { callWecom } from "./api.js";

export interface TokenSource {
  get(): Promise<string>;
  invalidate(token: string): void;
}

export class AccessTokens implements TokenSource {
  private cached: { token: string; expiresAt: number } | undefined;
  private fetching: Promise<string> | undefined;

  constructor(
    private readonly opts: { apiRoot: string; corpId: string; secret: string },
    private readonly now: () => number = Date.now,
  ) {}

  get(): Promise<string> {
    if (this.cached && this.cached.expiresAt > this.now()) return Promise.resolve(this.cached.token);
    this.fetching ??= this.fetchToken().finally(() => (this.fetching = undefined));
    return this.fetching;
  }

  invalidate(token: string): void {
    if (this.cached?.token === token) this.cached = undefined;
  }

  private async fetchToken(): Promise<string> {
    const url = new URL(`${this.opts.apiRoot}/cgi-bin/gettoken`);
    url.searchParams.set("corpid", this.opts.corpId);
    url.searchParams.set("corpsecret", this.opts.secret);
    const r = await callWecom(url, "gettoken");
    const token = r.access_token;
    const expiresIn = r.expires_in;
    if (typeof token !== "string" || token.length === 0 || typeof expiresIn !== "number" || !(expiresIn > 0)) throw new Error("gettoken: no access_token in the answer");
    // Renewed a little early (5 minutes of WeCom's 2 hours), so a token never expires in flight.
    const lifeMs = expiresIn * 1000;
    this.cached = { token, expiresAt: this.now() + lifeMs - Math.min(300_000, lifeMs / 10) };
    return token;
  }
}
