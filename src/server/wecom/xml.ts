/**
 * The XML WeCom posts: an envelope (<Encrypt> and who it is for) and, inside it, the message.
 * fast-xml-parser reads it; values stay strings, since MsgId is a 64-bit number that a JS number
 * would round. A DOCTYPE is refused outright: WeCom never sends one, and entities are an attack.
 */
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { CallbackRejected } from "./crypto.js";

const parser = new XMLParser({ ignoreAttributes: true, parseTagValue: false, trimValues: true, ignoreDeclaration: true, processEntities: true });

/** The text fields directly under <xml>; nested elements (some events carry them) are left out. */
function fields(xml: string): Record<string, string> {
  if (/<!(?:DOCTYPE|ENTITY)/iu.test(xml) || XMLValidator.validate(xml) !== true) throw new CallbackRejected("malformed_xml");
  const root = (parser.parse(xml) as { xml?: unknown }).xml;
  if (root === null || typeof root !== "object" || Array.isArray(root)) throw new CallbackRejected("malformed_xml");
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(root)) if (typeof v === "string") out[k] = v;
  return out;
}

/** The posted body: the ciphertext, which the signature covers. */
export function parseEnvelope(xml: string): { encrypted: string } {
  const encrypted = fields(xml).Encrypt;
  if (!encrypted) throw new CallbackRejected("malformed_xml");
  return { encrypted };
}

export interface InboundMessage {
  /** The sender's UserID in the corp. */
  from: string;
  /** text, image, voice, video, location, link, file, event… */
  type: string;
  /** Absent on events. */
  msgId?: string;
  content?: string;
  event?: string;
  agentId?: string;
}

/** The decrypted message. */
export function parseMessage(xml: string): InboundMessage {
  const f = fields(xml);
  if (!f.FromUserName || !f.MsgType) throw new CallbackRejected("malformed_xml");
  return {
    from: f.FromUserName,
    type: f.MsgType,
    ...(f.MsgId ? { msgId: f.MsgId } : {}),
    ...(f.Content !== undefined ? { content: f.Content } : {}),
    ...(f.Event ? { event: f.Event } : {}),
    ...(f.AgentID ? { agentId: f.AgentID } : {}),
  };
}
