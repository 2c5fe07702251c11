// The types of one committed spec, as openapi-typescript writes them (npm run sdk, which
// npm run openapi runs after writing the specs).
const { execFileSync } = require('node:child_process');
const { readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);

/** Writes `out` from the spec at `spec`, headed by `header` (a line comment). */
function writeSpecTypes(spec, out, header) {
  execFileSync(
    bin('openapi-typescript'),
    [spec, '--output', out, '--root-types', '--default-non-nullable=false'],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  writeFileSync(out, `// ${header}\n${readFileSync(out, 'utf8')}`);
}

/** Formats generated files the way the repository's prettier config does. */
function prettierWrite(...paths) {
  execFileSync(bin('prettier'), ['--log-level', 'warn', '--write', ...paths], { stdio: 'inherit' });
}

module.exports = { root, bin, writeSpecTypes, prettierWrite };
