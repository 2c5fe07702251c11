import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { EventsErrorCode } from '../events-error-code';
import {
  computeSignature,
  signatureHeader,
  verifyWebhookSignature,
  WebhookSignatureError,
} from './webhook-signature';

const SECRET = 'whsec_test_secret_one';
const OTHER = 'whsec_test_secret_two';
const NOW = new Date('2026-11-30T12:00:00Z');
const T = Math.floor(NOW.getTime() / 1000);
const BODY = '{"id":"e1","type":"billing.invoice.finalized.v1","data":{"amount":"12.50"}}';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (e) {
    if (e instanceof WebhookSignatureError) return e.code;
    throw e;
  }
}

describe('webhook signatures', () => {
  it('signs like Stripe: v1 = HMAC-SHA256(secret, `${t}.${rawBody}`) in hex', () => {
    const expected = createHmac('sha256', SECRET).update(`${T}.${BODY}`).digest('hex');
    expect(computeSignature(SECRET, T, BODY)).toBe(expected);
    expect(signatureHeader(BODY, [SECRET], T)).toBe(`t=${T},v1=${expected}`);
  });

  it('carries one v1 per secret during a rotation, and either secret verifies', () => {
    const header = signatureHeader(BODY, [SECRET, OTHER], T);
    expect(header.split(',').filter((p) => p.startsWith('v1='))).toHaveLength(2);
    expect(verifyWebhookSignature(BODY, header, [SECRET], 300, NOW)).toEqual({ timestamp: T });
    expect(verifyWebhookSignature(BODY, header, [OTHER], 300, NOW)).toEqual({ timestamp: T });
    expect(codeOf(() => verifyWebhookSignature(BODY, header, ['whsec_third'], 300, NOW))).toBe(
      EventsErrorCode.WEBHOOK_SIGNATURE_MISMATCH,
    );
  });

  it('accepts any of the receiver’s secrets (a receiver switching secrets holds both)', () => {
    const header = signatureHeader(BODY, [OTHER], T);
    expect(verifyWebhookSignature(BODY, header, [SECRET, OTHER], 300, NOW).timestamp).toBe(T);
  });

  it('verifies bytes, not JSON: the same JSON with other spacing does not verify', () => {
    const header = signatureHeader(BODY, [SECRET], T);
    const respaced = JSON.stringify(JSON.parse(BODY), null, 1);
    expect(codeOf(() => verifyWebhookSignature(respaced, header, [SECRET], 300, NOW))).toBe(
      EventsErrorCode.WEBHOOK_SIGNATURE_MISMATCH,
    );
    expect(verifyWebhookSignature(Buffer.from(BODY), header, [SECRET], 300, NOW).timestamp).toBe(T);
  });

  it('refuses a timestamp outside the tolerance, on either side, and accepts its edge', () => {
    const at = (t: number) => signatureHeader(BODY, [SECRET], t);
    expect(verifyWebhookSignature(BODY, at(T - 300), [SECRET], 300, NOW).timestamp).toBe(T - 300);
    expect(verifyWebhookSignature(BODY, at(T + 300), [SECRET], 300, NOW).timestamp).toBe(T + 300);
    expect(codeOf(() => verifyWebhookSignature(BODY, at(T - 301), [SECRET], 300, NOW))).toBe(
      EventsErrorCode.WEBHOOK_SIGNATURE_TIMESTAMP_OUT_OF_TOLERANCE,
    );
    expect(codeOf(() => verifyWebhookSignature(BODY, at(T + 301), [SECRET], 300, NOW))).toBe(
      EventsErrorCode.WEBHOOK_SIGNATURE_TIMESTAMP_OUT_OF_TOLERANCE,
    );
    // A wider tolerance is the receiver's choice.
    expect(verifyWebhookSignature(BODY, at(T - 3600), [SECRET], 7200, NOW).timestamp).toBe(
      T - 3600,
    );
  });

  it('checks the tolerance before the signature, so an old capture is refused for its age', () => {
    const old = signatureHeader(BODY, [SECRET], T - 10_000);
    expect(codeOf(() => verifyWebhookSignature(BODY, old, [SECRET], 300, NOW))).toBe(
      EventsErrorCode.WEBHOOK_SIGNATURE_TIMESTAMP_OUT_OF_TOLERANCE,
    );
  });

  it.each([
    [undefined, EventsErrorCode.WEBHOOK_SIGNATURE_MISSING],
    ['', EventsErrorCode.WEBHOOK_SIGNATURE_MISSING],
    ['garbage', EventsErrorCode.WEBHOOK_SIGNATURE_MALFORMED],
    [`t=${T}`, EventsErrorCode.WEBHOOK_SIGNATURE_MALFORMED],
    [`v1=${'a'.repeat(64)}`, EventsErrorCode.WEBHOOK_SIGNATURE_MALFORMED],
    [`t=abc,v1=${'a'.repeat(64)}`, EventsErrorCode.WEBHOOK_SIGNATURE_MALFORMED],
    [`t=${T},t=${T},v1=${'a'.repeat(64)}`, EventsErrorCode.WEBHOOK_SIGNATURE_MALFORMED],
    [`t=${T},v1=abc`, EventsErrorCode.WEBHOOK_SIGNATURE_MALFORMED],
    [`t=${T},v0=${'a'.repeat(64)}`, EventsErrorCode.WEBHOOK_SIGNATURE_MALFORMED],
    [`t=${T},v1=${'a'.repeat(64)}`, EventsErrorCode.WEBHOOK_SIGNATURE_MISMATCH],
  ])('refuses the header %p with %s', (header, code) => {
    expect(codeOf(() => verifyWebhookSignature(BODY, header, [SECRET], 300, NOW))).toBe(code);
  });

  it('ignores schemes it does not know beside a good v1 (room for a v2)', () => {
    const good = signatureHeader(BODY, [SECRET], T);
    const header = `${good},v0=${'b'.repeat(64)},v2=whatever`;
    expect(verifyWebhookSignature(BODY, header, [SECRET], 300, NOW).timestamp).toBe(T);
  });

  it('property: what is signed verifies, and any change to body, secret or timestamp does not', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 0, maxLength: 300 }),
        fc.string({ minLength: 1, maxLength: 60 }),
        fc.integer({ min: 0, max: 299 }),
        fc.nat(),
        (bytes, secret, skew, flip) => {
          const body = Buffer.from(bytes);
          const header = signatureHeader(body, [secret], T - skew);
          expect(verifyWebhookSignature(body, header, [secret], 300, NOW).timestamp).toBe(T - skew);
          expect(codeOf(() => verifyWebhookSignature(body, header, [`${secret}x`], 300, NOW))).toBe(
            EventsErrorCode.WEBHOOK_SIGNATURE_MISMATCH,
          );
          const changed = Buffer.concat([body, Buffer.from(' ')]);
          if (body.length > 0) {
            changed[flip % body.length] ^= 0x01;
          }
          expect(codeOf(() => verifyWebhookSignature(changed, header, [secret], 300, NOW))).toBe(
            EventsErrorCode.WEBHOOK_SIGNATURE_MISMATCH,
          );
          const otherTime = header.replace(`t=${T - skew}`, `t=${T - skew - 1}`);
          expect(codeOf(() => verifyWebhookSignature(body, otherTime, [secret], 300, NOW))).toBe(
            EventsErrorCode.WEBHOOK_SIGNATURE_MISMATCH,
          );
        },
      ),
    );
  });
});
