// @ts-check
/**
 * One lint setup for the whole repository: typescript-eslint's strict and
 * stylistic type-checked rules everywhere, angular-eslint for apps/web, and
 * Prettier owning layout (eslint-config-prettier turns the layout rules off).
 */
import js from '@eslint/js';
import angular from 'angular-eslint';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const root = import.meta.dirname;

export default tseslint.config(
  // '**/dist/**': build output anywhere (libs/shared/dist too, which npm test builds while it lints).
  { ignores: ['**/dist/**', 'coverage/**', 'test-results/**', '.angular/**', 'data/**', 'node_modules/**', '**/*.d.mts'] },
  {
    files: ['**/*.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.strictTypeChecked, ...tseslint.configs.stylisticTypeChecked],
    languageOptions: {
      parserOptions: {
        project: ['./tsconfig.spec.json', './apps/web/tsconfig.app.json', './apps/web/tsconfig.spec.json'],
        tsconfigRootDir: root,
      },
    },
    rules: {
      // Numbers in messages are the common case and print unambiguously.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      // Nest modules are decorated empty classes by design.
      '@typescript-eslint/no-extraneous-class': ['error', { allowWithDecorator: true }],
      // `const { type: _type, ...rest } = value` leaves a key out of a copy; `_arg` is a default method's unused parameter that overrides use.
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true, argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['apps/web/src/**/*.ts'],
    extends: [...angular.configs.tsRecommended],
    processor: angular.processInlineTemplates,
    rules: {
      '@angular-eslint/directive-selector': ['error', { type: 'attribute', prefix: 'vg', style: 'camelCase' }],
      '@angular-eslint/component-selector': ['error', { type: 'element', prefix: 'vg', style: 'kebab-case' }],
      // Angular Material declares its option bags (MatDialogConfig, MatSnackBarConfig) as classes and documents object literals for them.
      '@typescript-eslint/no-unsafe-class-instance-assignment': 'off',
    },
  },
  {
    files: ['apps/web/src/**/*.html'],
    extends: [...angular.configs.templateRecommended, ...angular.configs.templateAccessibility],
    rules: {},
  },
  {
    files: ['test/**/*.ts', '**/*.spec.ts', 'apps/web/src/testing/**/*.ts'],
    rules: {
      // A test that dereferences a value that is not there fails on that line, which is the check we want.
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['**/*.mjs', '**/*.cjs', '**/*.js'],
    extends: [js.configs.recommended],
    languageOptions: { globals: { ...globals.node } },
  },
  prettier,
);
