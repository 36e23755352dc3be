// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Folders that are layers, not features: everything else under src/ is a feature folder. */
const LAYERS = ['bot', 'tab', 'store', 'shared', 'dev', 'teams-package', 'graph'];
const featureFiles = ['src/*/**/*.ts'];
const layerFiles = LAYERS.map((layer) => `src/${layer}/**/*.ts`);

const transportImports = [
  {
    group: ['botbuilder', 'botbuilder-*', 'botframework-*'],
    message: 'Features never see Teams: the bot layer (src/bot) translates.',
  },
  {
    group: ['restify', 'restify-*'],
    message: 'Features never see HTTP: src/server.ts and src/tab translate.',
  },
  {
    group: ['**/bot', '**/bot/**', '**/tab', '**/tab/**'],
    message: 'Features do not depend on the bot or tab layers; those depend on features.',
  },
];
const mongooseImport = {
  group: ['mongoose', 'mongodb'],
  message:
    'Only *.repository.ts files in a feature talk to the store; services take narrow interfaces.',
};

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'dist-bench/',
      'dist-soak/',
      'data/',
      'coverage/',
      'test-artifacts/',
      '.cache/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        __dirname: 'readonly',
        require: 'readonly',
        module: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        fetch: 'readonly',
        URL: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      // Typed errors with stable codes (AppError), not bare Errors, in src.
      'no-restricted-syntax': 'off',
    },
  },
  {
    files: ['src/**/*.ts'],
    rules: {
      'no-console': 'error',
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Error']",
          message: 'Throw an AppError with a stable code (src/shared/errors.ts), not a bare Error.',
        },
      ],
    },
  },
  // The dependency rule: feature folders never import transport layers; only repositories import
  // mongoose, and a feature's module (which builds its repositories on the app's connection).
  {
    files: featureFiles,
    ignores: [...layerFiles, 'src/*/**/*.repository.ts', 'src/*/**/*.module.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [...transportImports, mongooseImport] }],
    },
  },
  {
    files: ['src/*/**/*.repository.ts', 'src/*/**/*.module.ts'],
    ignores: layerFiles,
    rules: { 'no-restricted-imports': ['error', { patterns: transportImports }] },
  },
  {
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
