import { createHmac, timingSafeEqual } from 'node:crypto';
import { EventsErrorCode } from '../events-error-code';

/** The header every delivery carries: `t=<unix seconds>,v1=<hex>[,v1=<hex>…]`. */
export const SIGNATURE_HEADER = 'revgate-signature';
export const EVENT_ID_HEADER = 'revgate-event-id';
export const EVENT_TYPE_HEADER = 'revgate-event-type';
export const DELIVERY_ID_HEADER = 'revgate-delivery-id';
/** Stripe's default: a signature older or newer than five minutes is refused. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** HMAC-SHA256 of `${timestamp}.${rawBody}` under the secret (the whole `whsec_…` string), in hex. */
export function computeSignature(
  secret: string,
  timestamp: number,
  rawBody: string | Buffer,
): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex');
}

/** The Revgate-Signature value: one v1 per secret (several while a rotated-out secret is in grace). */
export function signatureHeader(
  rawBody: string | Buffer,
  secrets: readonly string[],
  timestamp: number,
): string {
  return [
    `t=${timestamp}`,
    ...secrets.map((s) => `v1=${computeSignature(s, timestamp, rawBody)}`),
  ].join(',');
}

export class WebhookSignatureError extends Error {
  constructor(
    readonly code: EventsErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'WebhookSignatureError';
  }
}

const HEX_SIGNATURE = /^[0-9a-f]{64}$/;

/**
 * Checks a delivery the way a receiver must: the timestamp within `toleranceSeconds` of `now` (so a
 * captured request cannot be replayed later), and some v1 signature equal, in constant time, to the
 * HMAC under one of `secrets` (a receiver rotating its secret passes both). Returns the signed
 * timestamp; throws a WebhookSignatureError with a stable code otherwise. `rawBody` must be the
 * bytes received, before any JSON parsing.
 */
export function verifyWebhookSignature(
  rawBody: string | Buffer,
  header: string | undefined,
  secrets: readonly string[],
  toleranceSeconds = DEFAULT_TOLERANCE_SECONDS,
  now: Date = new Date(),
): { timestamp: number } {
  if (header === undefined || header.trim() === '') {
    throw new WebhookSignatureError(
      EventsErrorCode.WEBHOOK_SIGNATURE_MISSING,
      'The request carries no Revgate-Signature header.',
    );
  }
  if (secrets.length === 0) throw new Error('verifyWebhookSignature needs at least one secret');
  let timestamp: number | undefined;
  const signatures: Buffer[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') {
      if (timestamp !== undefined || !/^\d{1,12}$/.test(value)) timestamp = Number.NaN;
      else timestamp = Number(value);
    } else if (key === 'v1' && HEX_SIGNATURE.test(value)) {
      signatures.push(Buffer.from(value, 'hex'));
    }
    // Other schemes (v0, a future v2) are ignored, as Stripe's libraries do.
  }
  if (timestamp === undefined || Number.isNaN(timestamp) || signatures.length === 0) {
    throw new WebhookSignatureError(
      EventsErrorCode.WEBHOOK_SIGNATURE_MALFORMED,
      'Revgate-Signature must be t=<unix seconds>,v1=<64 hex digits>[,v1=…].',
    );
  }
  const age = Math.floor(now.getTime() / 1000) - timestamp;
  if (Math.abs(age) > toleranceSeconds) {
    throw new WebhookSignatureError(
      EventsErrorCode.WEBHOOK_SIGNATURE_TIMESTAMP_OUT_OF_TOLERANCE,
      `The signature's timestamp is ${Math.abs(age)} s ${age > 0 ? 'old' : 'in the future'}; at most ${toleranceSeconds} s is accepted.`,
    );
  }
  const expected = secrets.map((s) => Buffer.from(computeSignature(s, timestamp, rawBody), 'hex'));
  // Compare every pair so the time taken does not depend on which one matches.
  let matched = false;
  for (const e of expected) {
    for (const s of signatures) matched = timingSafeEqual(e, s) || matched;
  }
  if (!matched) {
    throw new WebhookSignatureError(
      EventsErrorCode.WEBHOOK_SIGNATURE_MISMATCH,
      'No signature matches: the body was changed, or it was signed with another secret.',
    );
  }
  return { timestamp };
}
