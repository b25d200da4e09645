import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'data/**', 'src/generated/**', 'channels/webchat/public/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['telegraf', 'telegraf/*'],
              message: 'telegraf is confined to channels/telegram/.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['botbuilder', 'botbuilder-*', 'express', 'telegraf'], message: 'The domain knows no chat or HTTP.' },
            { group: ['**/flows/**', '**/engine/**', '**/channels/**', '**/http/**'], message: 'Arrows go one way.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/flows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/generated/prisma/**', '**/db/**'], message: 'A flow never touches Prisma directly.' },
            { group: ['**/channels/**', '**/http/**', 'express', 'telegraf'], message: 'Arrows go one way.' },
          ],
        },
      ],
    },
  },
  {
    files: ['channels/telegram/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
);
