/** A citation for a quote from one passage of a hit: the contract's fields plus where it came from. */
import { citationLabel, shortLabel } from "../ingest/cite.js";
import type { Chunk } from "../ingest/types.js";
import type { Hit } from "../retrieve/retriever.js";
import type { Citation } from "./types.js";

export function citationOf(hit: Hit, quote: string, chunk: Pick<Chunk, "path" | "id"> = hit.chunk): Citation {
  return {
    ref: citationLabel(hit.doc, hit.task.number, chunk.path, hit.task.passage),
    label: shortLabel(hit.doc, hit.task.number, hit.task.passage),
    district: hit.doc.district,
    year: hit.doc.year,
    title: hit.doc.title,
    task: hit.task.number,
    path: [...chunk.path],
    quote,
    docId: hit.doc.id,
    chunkId: chunk.id,
  };
}
