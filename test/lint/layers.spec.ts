import { execFile } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/**
 * Lints a piece of code as if it were the given file of the repo, with the project's own ESLint CLI
 * and configuration, and returns the rules it breaks.
 */
function brokenRules(code: string, file: string): Promise<(string | null)[]> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      [
        join(ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js'),
        '--stdin',
        '--stdin-filename',
        file,
        '--format',
        'json',
      ],
      { cwd: ROOT },
      (error, stdout) => {
        try {
          const results = JSON.parse(stdout) as { messages: { ruleId: string | null }[] }[];
          resolve(results.flatMap((r) => r.messages.map((m) => m.ruleId)));
        } catch {
          reject(error ?? new Error(`eslint printed no JSON: ${stdout}`));
        }
      },
    );
    child.stdin?.end(code);
  });
}

describe('layer boundaries (DESIGN §1, §12) are enforced by lint', () => {
  it('refuses a relative import of a library from an app', async () => {
    const rules = await brokenRules(
      `import { Public } from '../../../libs/platform/src';\nexport const p = Public;\n`,
      'apps/system-crm/src/probe.ts',
    );
    expect(rules).toContain('no-restricted-imports');
  });

  it('refuses process code in a system app', async () => {
    const rules = await brokenRules(
      `import { x } from '../../process-quote-to-cash/src/orders';\nexport const y: unknown = x;\n`,
      'apps/system-crm/src/probe.ts',
    );
    expect(rules).toContain('no-restricted-imports');
  });

  it("refuses a system app's code in a process app", async () => {
    const rules = await brokenRules(
      `import { crmApp } from '../../system-crm/src/crm.app';\nexport const y: unknown = crmApp;\n`,
      'apps/process-quote-to-cash/src/probe.ts',
    );
    expect(rules).toContain('no-restricted-imports');
  });

  it('refuses a relative path from one library into another, however short', async () => {
    const rules = await brokenRules(
      `import { Public } from '../../platform/src/http/access';\nexport const p = Public;\n`,
      'libs/auth/src/probe.ts',
    );
    expect(rules).toContain('revgate/stay-in-package');
  });

  it("refuses a relative path into another app's code", async () => {
    const rules = await brokenRules(
      `import { x } from '../../system-billing/src/anything';\nexport const y: unknown = x;\n`,
      'apps/system-crm/src/probe.ts',
    );
    expect(rules).toContain('revgate/stay-in-package');
  });

  it('accepts a library imported by its alias', async () => {
    const rules = await brokenRules(
      `import { Public } from '@revgate/platform';\nexport const p = Public;\n`,
      'apps/system-crm/src/probe.ts',
    );
    expect(rules).not.toContain('no-restricted-imports');
  });

  it('refuses any', async () => {
    const rules = await brokenRules(`export const v: any = 1;\n`, 'libs/platform/src/probe.ts');
    expect(rules).toContain('@typescript-eslint/no-explicit-any');
  });
});
