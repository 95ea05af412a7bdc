import { describe, it } from 'vitest';
import { expectCall, expectError } from './helpers.js';

describe('net', () => {
  it('checks containment and intersection for IPv4 and IPv6', () => {
    expectCall('net.cidr_contains', ['10.0.0.0/8', '10.1.2.3'], true);
    expectCall('net.cidr_contains', ['10.0.0.0/8', '10.1.0.0/16'], true);
    expectCall('net.cidr_contains', ['10.0.0.0/24', '10.0.0.0/23'], false);
    expectCall('net.cidr_contains', ['2001:db8::/32', '2001:db8:1::/48'], true);
    expectCall('net.cidr_contains', ['::/0', '10.0.0.1'], false);
    expectCall('net.cidr_contains', ['::ffff:10.0.0.0/104', '10.1.2.3'], true);
    expectError(
      'net.cidr_contains',
      ['10.0.0.0/33', '10.0.0.1'],
      'eval_builtin_error',
      'invalid CIDR address: 10.0.0.0/33',
    );
    expectError(
      'net.cidr_contains',
      ['10.0.0.0/8', '010.0.0.1'],
      'eval_builtin_error',
      'not a valid textual representation of an IP address or CIDR: 010.0.0.1',
    );
    expectCall('net.cidr_intersects', ['192.168.0.0/16', '192.168.1.0/24'], true);
    expectCall('net.cidr_intersects', ['fd1e:5bfe:8af3:9ddc::/64', 'fd2e::/64'], false);
    expectCall('net.cidr_overlap', ['10.0.0.0/8', '10.0.0.1'], true);
  });

  it('reports matches of collections with their keys', () => {
    expectCall(
      'net.cidr_contains_matches',
      [
        ['1.1.2.0/24', '1.1.1.0/24'],
        ['1.1.1.1', '1.1.2.1'],
      ],
      new Set([
        [0, 1],
        [1, 0],
      ]),
    );
    expectCall(
      'net.cidr_contains_matches',
      [{ k1: '1.1.1.1/24', k2: ['1.1.1.2/24', 1] }, '1.1.1.128'],
      new Set([
        ['k1', '1.1.1.128'],
        ['k2', '1.1.1.128'],
      ]),
    );
    expectError(
      'net.cidr_contains_matches',
      [['1.1.1.0/24'], [1]],
      'eval_builtin_error',
      'operand 2: element must be string or non-empty array',
    );
  });

  it('expands, validates and merges', () => {
    expectCall(
      'net.cidr_expand',
      ['192.168.1.1/30'],
      new Set(['192.168.1.0', '192.168.1.1', '192.168.1.2', '192.168.1.3']),
    );
    expectCall('net.cidr_expand', ['2001:db8::/127'], new Set(['2001:db8::', '2001:db8::1']));
    expectError('net.cidr_expand', ['2001:db8::/64'], 'eval_builtin_error', 'more than');
    expectCall('net.cidr_is_valid', ['2002::1234:abcd:ffff:c0a8:101/64'], true);
    expectCall('net.cidr_is_valid', ['192.168.1.2'], false);
    expectCall('net.cidr_merge', [['192.0.2.112/30', '192.0.2.116/31', '192.0.2.118/31']], new Set(['192.0.2.112/29']));
    expectCall('net.cidr_merge', [['192.0.128.0', '192.0.129.0']], new Set(['192.0.128.0/23']));
    expectCall('net.cidr_merge', [['10.1.2.3']], new Set(['10.1.2.3/8']));
    expectCall(
      'net.cidr_merge',
      [['fe80::/120', '192.0.2.0/24', '192.0.3.0/24']],
      new Set(['192.0.2.0/23', 'fe80::/120']),
    );
    expectCall('net.cidr_merge', [['::/0', 'ff00::101/128']], new Set(['::/0']));
    expectError('net.cidr_merge', [['2601:600::1']], 'eval_builtin_error', 'IPv6 invalid: needs prefix length');
  });
});
