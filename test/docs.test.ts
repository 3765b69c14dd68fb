// The reference pages are generated from the code; this keeps the committed pages and the code in step.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateDocs } from '../scripts/docs.ts';
import { errorCatalogue } from '../src/errors.ts';

describe('reference docs', () => {
  it('match what `npm run docs` generates from the code (run it after changing errors, settings, routes or schemas)', async () => {
    for (const [file, content] of Object.entries(await generateDocs())) {
      expect(readFileSync(file, 'utf8'), `${file} is stale: run npm run docs`).toBe(content);
    }
  });

  it('document every error code', () => {
    const page = readFileSync('docs/reference/errors.md', 'utf8');
    for (const code of Object.keys(errorCatalogue)) expect(page).toContain(`| \`${code}\` |`);
  });
});

describe('policies', () => {
  it('raise only catalogued error codes, so each is documented', async () => {
    const { BUILT_IN_POLICIES } = await import('../src/policies/index.ts');
    for (const policy of BUILT_IN_POLICIES) {
      for (const fault of policy.errors) expect(Object.keys(errorCatalogue), `${policy.name}: ${fault.code}`).toContain(fault.code);
    }
  });
});
