import { describe, it } from 'vitest';
import { expectCall, expectError } from './helpers.js';

describe('arrays', () => {
  it('concatenates, slices (clamped), reverses and flattens one level', () => {
    expectCall('array.concat', [[1, 2], [3]], [1, 2, 3]);
    expectCall('array.slice', [[1, 2, 3, 4, 5], 1, 3], [2, 3]);
    expectCall('array.slice', [[1, 2, 3, 4, 5], -1, 2], [1, 2]);
    expectCall('array.slice', [[1, 2, 3, 4, 5], 4, 1], []);
    expectCall('array.slice', [[1, 2, 3], 1000, 2000], []);
    expectCall('array.reverse', [[1, 2, 3]], [3, 2, 1]);
    expectCall('array.flatten', [[[1, 2], 'x', [3, [4]], 5]], [1, 2, 'x', 3, [4], 5]);
    expectError('array.concat', [{}, []], 'eval_type_error', 'array.concat: operand 1 must be array but got object');
    expectError('array.flatten', [42], 'eval_type_error', 'operand 1 must be array but got number');
  });
});

describe('sets', () => {
  it('unions and intersects sets of sets', () => {
    expectCall('union', [new Set([new Set([1, 2]), new Set([2, 3])])], new Set([1, 2, 3]));
    expectCall('intersection', [new Set([new Set([1, 2]), new Set([2, 3])])], new Set([2]));
    expectCall('intersection', [new Set()], new Set());
    expectCall('set_diff', [new Set([1, 2]), new Set([2])], new Set([1]));
    expectError(
      'union',
      [new Set([1])],
      'eval_type_error',
      'operand 1 must be set of sets but got set containing number',
    );
  });
});

describe('objects', () => {
  it('gets values by key or path, with defaults', () => {
    expectCall('object.get', [{ a: [{ b: true }] }, ['a', 0, 'b'], false], true);
    expectCall('object.get', [{ a: [{ b: true }] }, ['a', 1, 'b'], 'd'], 'd');
    expectCall('object.get', [{ a: { b: 1 } }, [], 'd'], { a: { b: 1 } });
    expectCall('object.get', [{ a: new Set(['x']) }, ['a', 'x'], 'd'], 'x');
    expectCall('object.get', [{ a: 1 }, 'a', 0], 1);
    expectCall('object.get', [new Map([[1, 'one']]), 1, 0], 'one');
    // A key that is there with a null value is there: OPA returns the null, not the default.
    expectCall('object.get', [{ a: null }, 'a', 'd'], null);
    expectCall('object.get', [{ a: { b: null } }, ['a', 'b'], 'd'], null);
    expectError('object.get', ['x', 'a', 0], 'eval_type_error', 'object.get: operand 1 must be object but got string');
  });

  it('merges recursively, right side winning', () => {
    expectCall(
      'object.union',
      [
        { a: 1, b: 2, c: { d: 3 } },
        { a: 7, c: { d: 4, e: 5 } },
      ],
      { a: 7, b: 2, c: { d: 4, e: 5 } },
    );
    expectCall('object.union_n', [[{ a: { b: 2 } }, { a: 4 }, { a: { c: 3 } }]], { a: { c: 3 } });
    expectCall('object.union_n', [[]], {});
    expectError(
      'object.union_n',
      [[{}, 'x']],
      'eval_type_error',
      'operand 1 must be array of objects but got array containing string',
    );
  });

  it('removes and filters keys given as arrays, sets or objects', () => {
    expectCall('object.remove', [{ a: 1, b: 2 }, ['a']], { b: 2 });
    expectCall('object.remove', [{ a: 1, b: 2 }, { b: 0 }], { a: 1 });
    expectCall('object.filter', [{ a: 1, b: 2 }, new Set(['a', 'z'])], { a: 1 });
    expectCall(
      'object.filter',
      [
        new Map<unknown, string>([
          [1, 'x'],
          ['1', 'y'],
        ]),
        [1],
      ],
      new Map([[1, 'x']]),
    );
    expectError(
      'object.remove',
      [{ a: 1 }, 'a'],
      'eval_type_error',
      'operand 2 must be one of {object, set, array} but got string',
    );
    expectCall('object.keys', [{ a: 1, b: 2 }], new Set(['a', 'b']));
  });

  it('tests subsets of objects (recursively), sets and arrays', () => {
    expectCall(
      'object.subset',
      [{ a: 'b', c: { x: new Set([10, 15, 20, 25]), y: 'z' } }, { c: { x: new Set([10, 15, 20]) } }],
      true,
    );
    expectCall('object.subset', [{ a: [1, 2, 3, 4] }, { a: [2, 3] }], true);
    expectCall(
      'object.subset',
      [
        [1, 2, 3],
        [1, 3],
      ],
      false,
    );
    expectCall('object.subset', [[1, 2, 3], new Set([3, 1])], true);
    expectCall('object.subset', [new Set([1, 2]), new Set([3])], false);
    expectError(
      'object.subset',
      [{}, []],
      'eval_type_error',
      'both arguments object.subset must be of the same type or array and set',
    );
  });
});

describe('json paths', () => {
  it('filters and removes by JSON pointer paths and segment arrays', () => {
    expectCall('json.filter', [{ a: { b: 'x', c: 'y' }, d: [1, 2, 3] }, ['a/b', 'd/1']], { a: { b: 'x' }, d: [2] });
    expectCall('json.filter', [{ 'a/b': 1, c: 2 }, ['a~1b']], { 'a/b': 1 });
    expectCall('json.remove', [{ a: { b: 'x', c: 'y' } }, ['a/b']], { a: { c: 'y' } });
    expectCall('json.remove', [{ a: [1, 2, 3] }, new Set([['a', '0'], 'a/2'])], { a: [2] });
    expectCall('json.remove', [{ a: 1 }, ['a', 'a/b']], {});
    expectError(
      'json.remove',
      [{ a: 1 }, new Set([1])],
      'eval_type_error',
      'operand 2 must be one of {set, array} containing string paths or array of path segments but got number',
    );
  });

  it('patches atomically (undefined on any failure), sets included', () => {
    expectCall('json.patch', [{ foo: ['bar', 'baz'] }, [{ op: 'add', path: '/foo/1', value: 'qux' }]], {
      foo: ['bar', 'qux', 'baz'],
    });
    expectCall(
      'json.patch',
      [{ foo: ['all', 'grass', 'cows', 'eat'] }, [{ op: 'move', from: '/foo/1', path: '/foo/3' }]],
      { foo: ['all', 'cows', 'eat', 'grass'] },
    );
    expectCall('json.patch', [{ foo: 'bar' }, [{ op: 'replace', path: '', value: { baz: 'qux' } }]], { baz: 'qux' });
    expectCall('json.patch', [[1, 2], [{ op: 'add', path: '/-', value: 3 }]], [1, 2, 3]);
    expectCall('json.patch', [{ foo: new Set(['a', 'b']) }, [{ op: 'remove', path: 'foo/b' }]], {
      foo: new Set(['a']),
    });
    expectCall('json.patch', [{ foo: new Set(['a']) }, [{ op: 'add', path: 'foo/d', value: 'e' }]], undefined);
    expectCall('json.patch', [['foo', 'bar'], [{ op: 'test', path: '/01', value: 'bar' }]], undefined);
    expectCall('json.patch', [{ baz: 'qux' }, [{ op: 'test', path: '/baz', value: 'bar' }]], undefined);
    expectCall('json.patch', [{ a: 1 }, [{ op: 'add', path: '/b/c', value: 1 }]], undefined);
  });
});

describe('graph', () => {
  it('reaches vertices and paths', () => {
    const graph = { a: ['b'], b: new Set(['c']), c: ['a'], d: [] };
    expectCall('graph.reachable', [graph, ['a']], new Set(['a', 'b', 'c']));
    expectCall('graph.reachable', [graph, new Set(['d', 'x'])], new Set(['d']));
    expectCall('graph.reachable_paths', [graph, ['a']], new Set([['a', 'b', 'c']]));
    expectCall(
      'graph.reachable_paths',
      [{ one: ['two', 'three'], two: [], three: ['x'] }, ['one']],
      new Set([
        ['one', 'two'],
        ['one', 'three'],
      ]),
    );
    expectError('graph.reachable', [graph, 'a'], 'eval_type_error', 'operand 2 must be {array, set} but got string');
  });
});
