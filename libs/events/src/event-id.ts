import { createHash } from 'node:crypto';

/**
 * The id of the event that a business fact makes, the same every time (a name-based UUID, RFC 9562
 * version 5 layout over SHA-1 of `key`): an event emitted again for the same fact — a workflow step
 * repeated after a crash — has the same id, and the outbox keeps one.
 */
export function eventIdFor(key: string): string {
  const hash = createHash('sha1').update(`revgate:event:${key}`).digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
