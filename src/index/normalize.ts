/** Folding is shared by every stage (ingest reads metadata after folding); it lives in src/normalize.ts. */
export { fold, toHalfWidth, toSimplified } from "../normalize.js";
