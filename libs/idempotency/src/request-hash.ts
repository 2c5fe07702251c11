import { createHash } from 'node:crypto';
import { sortKeys } from '@revgate/platform';

/** Same method, path and JSON body (whatever the key order) → same hash. */
export function requestHash(method: string, path: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method.toUpperCase()} ${path}\n${JSON.stringify(sortKeys(body ?? null))}`)
    .digest('hex');
}
