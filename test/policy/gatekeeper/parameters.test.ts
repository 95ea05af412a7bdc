// A constraint's parameters against its template's OpenAPI schema, as the API server checks them.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parameterProblem } from '../../../compiler/policy/gatekeeper/parameters.js';

afterEach(() => vi.restoreAllMocks());

describe('constraint parameters', () => {
  it('a Kubernetes format the validator does not know is passed over silently, not printed', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const schema = { type: 'object', properties: { cpu: { type: 'string', format: 'int-or-string' } } };
    expect(parameterProblem(schema, { cpu: '500m' })).toBeUndefined();
    expect([...warn.mock.calls, ...log.mock.calls, ...error.mock.calls]).toEqual([]);
  });

  it('names the parameter that does not fit', () => {
    const schema = { type: 'object', properties: { mode: { type: 'string', enum: ['strict', 'lax'] } } };
    expect(parameterProblem(schema, { mode: 'other' })).toBe(
      'parameters.mode must be equal to one of the allowed values',
    );
    expect(parameterProblem(schema, { mode: 'lax', extra: 1 })).toBeUndefined();
  });
});
