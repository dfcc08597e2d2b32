import type { IncomingMessage } from 'node:http';
import { parse as parseQuery } from 'node:querystring';

/** Slack's payloads are well under this; a bigger body is refused before it is parsed, or even read. */
export const MAX_BODY_BYTES = 1024 * 1024;

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`the request body is larger than ${limit} bytes`);
    this.name = 'BodyTooLargeError';
  }
}

/**
 * The request's body, counted as it arrives: rejects with `BodyTooLargeError` as soon as the request announces
 * (`content-length`) or sends (chunked) more than `limit` bytes, and stops collecting what follows.
 */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(new BodyTooLargeError(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (outcome: () => void) => {
      req.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
      outcome();
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) done(() => reject(new BodyTooLargeError(limit)));
      else chunks.push(chunk);
    };
    const onEnd = () => done(() => resolve(Buffer.concat(chunks)));
    const onError = (error: Error) => done(() => reject(error));
    const onClose = () => done(() => reject(new Error('the request was closed before its body ended')));
    req.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
  });
}

/**
 * True when a body parses, as Bolt parses it (JSON, or a form whose `payload` field is JSON), to something other than
 * an object: no Slack payload looks like that, and Bolt cannot answer it (a body of `null` fails outside any of its
 * handlers, leaving the request without an answer).
 */
export function isNonObjectPayload(body: Buffer, contentType: string | undefined): boolean {
  const text = body.toString();
  let value: unknown;
  try {
    let json = text;
    if (contentType === 'application/x-www-form-urlencoded') {
      const { payload } = parseQuery(text);
      if (typeof payload !== 'string') return false;
      json = payload;
    }
    // JSON that opens with `{` is an object when it parses at all (and Bolt answers it when it does not): every event
    // Slack sends is one, so only the rare other body is parsed here (Bolt parses each payload anyway).
    if (json.trimStart().startsWith('{')) return false;
    value = JSON.parse(json);
  } catch {
    // Bolt answers an unparsable body itself (after checking its signature).
    return false;
  }
  return typeof value !== 'object' || value === null || Array.isArray(value);
}
