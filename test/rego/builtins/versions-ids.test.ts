import { describe, expect, it } from 'vitest';
import { call, context, expectCall, expectError } from './helpers.js';

describe('semver', () => {
  it('validates and compares with prerelease precedence', () => {
    expectCall('semver.is_valid', ['1.0.0-rc.1+build.5'], true);
    expectCall('semver.is_valid', ['1'], false);
    expectCall('semver.is_valid', [1], false);
    expectCall('semver.compare', ['1.0.0', '2.0.0'], -1);
    expectCall('semver.compare', ['1.0.0-alpha', '1.0.0'], -1);
    expectCall('semver.compare', ['1.0.0-alpha.2', '1.0.0-alpha.10'], -1);
    expectCall('semver.compare', ['1.0.0-1', '1.0.0-alpha'], -1);
    expectCall('semver.compare', ['1.0.0+a', '1.0.0+b'], 0);
    expectError('semver.compare', ['1', '1.0.0'], 'eval_builtin_error', 'operand 1: string "1" is not a valid SemVer');
  });
});

describe('uuid', () => {
  it('makes one version 4 UUID per key and evaluation', () => {
    const ctx = context();
    const a = call('uuid.rfc4122', ['key'], ctx) as string;
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(call('uuid.rfc4122', ['key'], ctx)).toBe(a);
    expect(call('uuid.rfc4122', ['other'], ctx)).not.toBe(a);
  });

  it('parses UUIDs in all of google/uuid’s forms', () => {
    expectCall('uuid.parse', ['{00000000-0000-4000-8000-000000000000}'], { variant: 'RFC4122', version: 4 });
    expectCall('uuid.parse', ['6bea8ef2d3d33cd184e09bab06a52ece'], { variant: 'RFC4122', version: 3 });
    expectCall('uuid.parse', ['urn:uuid:000003e8-48b9-21ee-b200-325096b39f47'], {
      clocksequence: 12800,
      domain: 'Person',
      id: 1000,
      macvariables: 'local:unicast',
      nodeid: '32-50-96-b3-9f-47',
      time: 1693566990121469600n,
      variant: 'RFC4122',
      version: 2,
    });
    expectCall('uuid.parse', ['not-a-uuid'], undefined);
  });
});
