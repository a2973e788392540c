/** Serves the app on Node's http server until asked to stop; stopping lets requests in flight finish. */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import type { Hono } from "hono";

export interface RunningServer {
  /** "http://127.0.0.1:8080" */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Keep-alive connections that stay open after this long are cut, so a stop never hangs. */
const CLOSE_GRACE_MS = 5000;

export function listen(app: Hono, opts: { host: string; port: number }): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error) => reject(e);
    // Plain HTTP: the server is Node's http.Server (TLS, when wanted, ends at a proxy in front).
    const server = serve({ fetch: app.fetch, hostname: opts.host, port: opts.port }, (info: AddressInfo) => {
      server.off("error", onError);
      const host = info.family === "IPv6" ? `[${info.address}]` : info.address;
      resolve({
        url: `http://${host}:${info.port}`,
        port: info.port,
        close: () =>
          new Promise<void>((done) => {
            const http = server as Server;
            const force = setTimeout(() => http.closeAllConnections(), CLOSE_GRACE_MS);
            force.unref();
            http.close(() => {
              clearTimeout(force);
              done();
            });
            http.closeIdleConnections();
          }),
      });
    });
    server.once("error", onError);
  });
}
