import { describe, expect, it } from 'vitest';
import { failureOf as failure } from '../../test/helpers/failure.ts';
import { parseDesiredState } from './file.ts';

describe('parseDesiredState', () => {
  it('substitutes ${VAR}, ${VAR:-default} and $$ in string values', () => {
    const state = parseDesiredState(
      'apis:\n  - name: w\n    basePath: /w\n    target: { url: "${URL}" }\n    description: "cost $$5, ${MISSING:-none}"\n',
      { URL: 'http://127.0.0.1:9000' },
    );
    expect(state.apis?.[0]?.target?.url).toBe('http://127.0.0.1:9000');
    expect(state.apis?.[0]?.description).toBe('cost $5, none');
  });

  it('names every unset variable', () => {
    const error = failure(() => parseDesiredState('apis:\n  - { name: "${A}", basePath: "${B}" }\n', {}));
    expect(error.code).toBe('apply.unset_variable');
    expect(error.message).toContain('${A}, ${B}');
  });

  it('cannot be broken by a variable holding YAML', () => {
    const state = parseDesiredState('products:\n  - { name: p, apis: [], description: "${D}" }\n', { D: 'x\napis: [evil]' });
    expect(state.products?.[0]?.description).toBe('x\napis: [evil]');
  });

  it('points at the field that does not match the schema', () => {
    const error = failure(() => parseDesiredState('apis:\n  - { name: w, basePath: /w, targt: {} }\n', {}, 'g.yaml'));
    expect(error.code).toBe('apply.invalid_file');
    expect(error.message).toContain('g.yaml: /apis/0/targt is not a known field');
  });

  it('reports YAML syntax errors', () => {
    expect(failure(() => parseDesiredState('apis: [\n', {})).message).toContain('is not valid YAML');
  });

  it('refuses the same API twice', () => {
    expect(failure(() => parseDesiredState('apis:\n  - { name: w, basePath: /a }\n  - { name: w, basePath: /b }\n', {})).message).toBe("API 'w' appears twice in the file.");
  });

  it('accepts an empty file as an empty state', () => {
    expect(parseDesiredState('', {})).toEqual({});
  });
});
