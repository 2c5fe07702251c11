/**
 * Prints a development-issuer access token for humans:
 *   npm run token -- --scope crm:read [--scope crm:write] [--entities US01,DE01] [--subject me] [--ttl 3600]
 * It signs with the same key the apps of the embedded default verify (REVGATE_DATA_DIR/keys).
 */
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { ALL_SCOPES, DevIssuerService } from '@revgate/auth';
import { BaseConfig, loadConfig } from '@revgate/platform';

const { values } = parseArgs({
  options: {
    scope: { type: 'string', multiple: true },
    entities: { type: 'string' },
    customer: { type: 'string' },
    subject: { type: 'string', default: 'cli-user' },
    ttl: { type: 'string' },
  },
});
const config = loadConfig(BaseConfig);
if (config.AUTH_MODE !== 'dev') {
  process.stderr.write('AUTH_MODE is not dev: get tokens from your identity provider.\n');
  process.exit(2);
}
const scopes = (values.scope ?? []).flatMap((s) => s.split(/[ ,]+/)).filter(Boolean);
const unknown = scopes.filter((s) => !(ALL_SCOPES as readonly string[]).includes(s));
if (scopes.length === 0 || unknown.length > 0) {
  process.stderr.write(
    `Give one or more --scope from: ${ALL_SCOPES.join(', ')}${unknown.length ? ` (unknown: ${unknown.join(', ')})` : ''}\n`,
  );
  process.exit(2);
}
const ttl = values.ttl === undefined ? undefined : Number(values.ttl);
if (ttl !== undefined && (!Number.isInteger(ttl) || ttl < 60 || ttl > 86400)) {
  process.stderr.write('--ttl must be a whole number of seconds from 60 to 86400\n');
  process.exit(2);
}
const token = new DevIssuerService(config).sign({
  subject: values.subject,
  scopes,
  legalEntities: values.entities
    ?.split(',')
    .map((e) => e.trim())
    .filter(Boolean),
  customerId: values.customer,
  ttlSeconds: ttl,
});
process.stdout.write(`${token.access_token}\n`);
