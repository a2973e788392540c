/**
 * Which reading of the documents an index was built with: a hash of the ingest code and its
 * tables. An index built by an older parser is rebuilt, since its places, numbers and passages
 * may differ though no document changed. The bundle has it computed at build time
 * (scripts/build.mjs); run from source (tests, tsx), it is computed here.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

declare const __INGEST_HASH__: string | undefined;

function hashSources(): string {
  const dir = dirname(fileURLToPath(import.meta.url));
  const h = createHash("sha256");
  for (const f of readdirSync(dir).filter((n) => /\.(ts|json)$/u.test(n)).sort()) h.update(f).update(readFileSync(join(dir, f)));
  return h.digest("hex").slice(0, 16);
}

export const INGEST_VERSION: string = typeof __INGEST_HASH__ === "string" ? __INGEST_HASH__ : hashSources();
