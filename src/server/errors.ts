/**
 * Every refusal the API gives: an HTTP status, a stable code for programs, and a message for
 * people (Chinese, from messages.ts). Nothing else ever reaches a client: no stack, no path.
 */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";

export type ErrorCode =
  | "bad_json"
  | "missing_field"
  | "invalid_field"
  | "question_too_long"
  | "unknown_district"
  | "unknown_document"
  | "unknown_task"
  | "body_too_large"
  | "unauthorized"
  | "rate_limited"
  | "not_found"
  | "internal";

const STATUS: Record<ErrorCode, ContentfulStatusCode> = {
  bad_json: 400,
  missing_field: 400,
  invalid_field: 400,
  question_too_long: 400,
  unknown_district: 400,
  unknown_document: 404,
  unknown_task: 404,
  body_too_large: 413,
  unauthorized: 401,
  rate_limited: 429,
  not_found: 404,
  internal: 500,
};

export class ApiError extends Error {
  override name = "ApiError";
  readonly status: ContentfulStatusCode;

  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Extra fields a program can act on: which field, the limit. */
    readonly details: Record<string, string | number | string[]> = {},
  ) {
    super(message);
    this.status = STATUS[code];
  }
}

export interface ErrorBody {
  error: { code: ErrorCode; message: string } & Record<string, string | number | string[]>;
}

export function errorResponse(c: Context, e: ApiError): Response {
  const body: ErrorBody = { error: { code: e.code, message: e.message, ...e.details } };
  return c.json(body, e.status);
}
