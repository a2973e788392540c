// Runs a command from its bundle in dist/, rebuilding first when anything in src/ is newer:
// `npm run ask` is fast and never stale.
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const ROOT = join(import.meta.dirname, "..");
const command = process.argv[2];
const bundle = join(ROOT, "dist", `${command}.js`);

function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

const sourcesChanged = () => Math.max(newest(join(ROOT, "src")), statSync(join(ROOT, "package-lock.json")).mtimeMs) > statSync(bundle).mtimeMs;
if (!existsSync(bundle) || sourcesChanged()) {
  const { buildAll } = await import("./build.mjs");
  await buildAll();
}
// Under `npm run`, a SIGTERM sent to npm alone may end npm and its shell but not this process,
// which would keep serving (and holding its port) as an orphan. When the process that started us
// is gone, stop as SIGTERM would: the command's own handler finishes the requests in flight.
if (process.env.npm_lifecycle_event && process.ppid !== 1) {
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) process.kill(process.pid, "SIGTERM");
  }, 500).unref();
}
// The command reads its own arguments from process.argv.slice(2).
process.argv.splice(2, 1);
await import(pathToFileURL(bundle).href);
