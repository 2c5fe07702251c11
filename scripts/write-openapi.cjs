// Writes openapi/<app>.v1.json for every built app, deterministically (sorted keys, stable ids),
// then the types of those specs, once, in the partner SDK (scripts/sdk.cjs → sdk/src/generated),
// which libs/clients re-exports to the process and experience apps.
const { execFileSync } = require('node:child_process');
const { existsSync, readdirSync } = require('node:fs');
const { join } = require('node:path');
const { root } = require('./openapi-types.cjs');

const dist = join(root, 'dist', 'apps');
const apps = readdirSync(dist).filter(
  (a) => a !== 'launcher' && existsSync(join(dist, a, 'main.js')),
);
for (const app of apps) {
  const out = join('openapi', `${app}.v1.json`);
  execFileSync(process.execPath, [join(dist, app, 'main.js'), 'openapi', out], {
    stdio: 'inherit',
    env: { ...process.env, LOG_LEVEL: 'silent' },
  });
  process.stdout.write(`wrote ${out}\n`);
}
execFileSync(process.execPath, [join(__dirname, 'sdk.cjs')], { stdio: 'inherit' });
