// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import path from 'node:path';

/**
 * A relative import must stay inside its own app or library (apps/<name>, libs/<name>): other
 * libraries come by alias, other apps never. no-restricted-imports only sees the text of a path;
 * this rule resolves it.
 */
const stayInPackage = {
  meta: {
    type: 'problem',
    messages: {
      leaves:
        "'{{source}}' reaches outside {{root}}: import a library by its alias (@revgate/<lib>), and never another app's code.",
    },
    schema: [],
  },
  create(context) {
    const rel = path.relative(import.meta.dirname, context.filename).split(path.sep);
    if (!['apps', 'libs'].includes(rel[0]) || rel.length < 3) return {};
    const root = path.join(import.meta.dirname, rel[0], rel[1]);
    const check = (node) => {
      const source = node.source;
      if (
        !source ||
        source.type !== 'Literal' ||
        typeof source.value !== 'string' ||
        !source.value.startsWith('.')
      )
        return;
      const target = path.resolve(path.dirname(context.filename), source.value);
      if (target !== root && !target.startsWith(root + path.sep)) {
        context.report({
          node: source,
          messageId: 'leaves',
          data: { source: source.value, root: `${rel[0]}/${rel[1]}` },
        });
      }
    };
    return {
      ImportDeclaration: check,
      ExportNamedDeclaration: check,
      ExportAllDeclaration: check,
      ImportExpression: check,
    };
  },
};

const crossFolderImports = {
  group: ['**/libs/**', '**/apps/**', '../../../**'],
  message:
    'Import shared code by its alias (@revgate/<lib>); apps never import another app or reach across folders.',
};

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'coverage/**',
      '.revgate/**',
      'openapi/**',
      // The API types written by npm run openapi / npm run sdk (openapi-typescript).
      'sdk/src/generated/**',
      'sdk/dist/**',
      '**/*.cjs',
      '**/*.js',
      '**/*.mjs',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      // probe.ts: the files test/lint feeds to ESLint to prove the layer rules bite
      parserOptions: {
        projectService: { allowDefaultProject: ['apps/*/src/probe.ts', 'libs/*/src/probe.ts'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      // DTOs are plain data classes that Nest and class-transformer fill from object literals.
      '@typescript-eslint/no-unsafe-class-instance-assignment': 'off',
      '@typescript-eslint/no-misused-spread': 'off',
      // Nest modules are decorated classes with no members.
      '@typescript-eslint/no-extraneous-class': 'off',
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowBoolean: true },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
    },
  },
  {
    files: ['apps/**/*.ts', 'libs/**/*.ts'],
    ignores: ['**/*.spec.ts', '**/*.e2e-spec.ts', 'apps/*/test/**'],
    plugins: { revgate: { rules: { 'stay-in-package': stayInPackage } } },
    rules: { 'revgate/stay-in-package': 'error' },
  },
  {
    // Layer boundaries (DESIGN §1, §12).
    files: ['libs/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            crossFolderImports,
            { group: ['@revgate/*/**'], message: 'Import a library by its alias root only.' },
          ],
        },
      ],
    },
  },
  {
    files: ['apps/system-*/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            crossFolderImports,
            {
              group: [
                '**/process-*/**',
                '**/experience-*/**',
                '@revgate/clients',
                '@revgate/workflows',
              ],
              message: 'A system app imports no process or experience code.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['apps/process-*/**/*.ts', 'apps/experience-*/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            crossFolderImports,
            {
              group: ['**/system-*/**'],
              message:
                'A process or experience app calls system APIs over HTTP (libs/clients), never their code.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.e2e-spec.ts', 'test/**/*.ts', 'apps/*/test/**/*.ts'],
    rules: {
      // Tests reach the shared harness in test/support and may poke at internals.
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  prettier,
);
