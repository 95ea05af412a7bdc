// The std.manifest* functions: JSON, YAML documents and streams, TOML, INI, Python and
// JsonML XML, each written as Jsonnet writes it.
import type { Loc } from '../errors.js';
import { manifestJsonEx, type Path, pathText, scalarJson } from '../manifest.js';
import { getField, visibleFields } from '../objects.js';
import { escapeJson, toStringValue } from '../ops.js';
import { runtimeError, step } from '../runtime.js';
import { JArray, JObject, typeOf, type Value } from '../value.js';
import { type Builtin, builtin, strictArgs } from './natives.js';

const field = (o: JObject, n: string, loc: Loc): Value => getField(o, n, loc)!;

const YAML_RESERVED = new Set(
  ['y', 'yes', 'n', 'no', 'true', 'false', 'on', 'off', 'null'].flatMap((w) => [
    w,
    w[0]!.toUpperCase() + w.slice(1),
    w.toUpperCase(),
  ]),
);

/** Keys YAML 1.1 would read as something other than a string must be quoted. */
const YAML_NOT_STRING = [
  /^[-+]?(0b[01_]+|0[0-7_]+|(0|[1-9][0-9_]*)|0x[0-9a-fA-F_]+|[1-9][0-9_]*(:[0-5]?[0-9])+)$/,
  /^[-+]?([0-9][0-9_]*)?\.[0-9_]*([eE][-+][0-9]+)?$/,
  /^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]*$/,
  /^[-+]?\.(inf|Inf|INF)$/,
  /^\.(nan|NaN|NAN)$/,
  /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}/,
  /^-+$/,
];

function yamlKey(key: string, quote: boolean): string {
  if (quote || !/^[A-Za-z0-9_\-./]+$/.test(key) || YAML_RESERVED.has(key)) return escapeJson(key);
  return YAML_NOT_STRING.some((re) => re.test(key)) ? escapeJson(key) : key;
}

function yaml(v: Value, indentArrays: boolean, quoteKeys: boolean, loc: Loc): string {
  const render = (x: Value, inArray: boolean, cur: string, path: Path): string => {
    step(loc);
    if (typeof x === 'string' && x.includes('\n')) {
      const body = x.endsWith('\n') ? x.slice(0, -1) : x;
      // Block lines are indented past the key, or to the level of the `-` item's content.
      const indent = inArray ? cur : `${cur}  `;
      const lines = body.split('\n').map((l) => (l === '' ? '' : indent + l));
      return `${x.endsWith('\n') ? '|' : '|-'}\n${lines.join('\n')}`;
    }
    if (x instanceof JArray) {
      if (x.length === 0) return '[]';
      const inner = `${cur}  `;
      const items = x.items.map((t, i) => {
        const e = t.force();
        const r = render(e, true, inner, [...path, i]);
        return e instanceof JArray && e.length > 0 ? `-\n${inner}${r}` : `- ${r}`;
      });
      return items.join(`\n${cur}`);
    }
    if (x instanceof JObject) {
      const names = visibleFields(x);
      if (names.length === 0) return '{}';
      const lines = names.map((n) => {
        const e = field(x, n, loc);
        const key = yamlKey(n, quoteKeys);
        if (e instanceof JArray && e.length > 0) {
          const arrIndent = indentArrays ? `${cur}  ` : cur;
          return `${key}:\n${arrIndent}${render(e, false, arrIndent, [...path, n])}`;
        }
        if (e instanceof JObject && visibleFields(e).length > 0) {
          return `${key}:\n${cur}  ${render(e, false, `${cur}  `, [...path, n])}`;
        }
        return `${key}: ${render(e, false, cur, [...path, n])}`;
      });
      return lines.join(`\n${cur}`);
    }
    return scalarJson(x, loc, path);
  };
  return render(v, false, '', []);
}

const TOML_BARE = /^[A-Za-z0-9_-]+$/;
const tomlKey = (k: string): string => (TOML_BARE.test(k) ? k : escapeJson(k));

function isSection(v: Value): boolean {
  if (v instanceof JObject) return true;
  return v instanceof JArray && v.length > 0 && v.items.every((t) => t.force() instanceof JObject);
}

function toml(root: Value, indent: string, loc: Loc): string {
  if (!(root instanceof JObject)) throw runtimeError(`TOML body must be an object. Got ${typeOf(root)}`, loc);
  const inline = (v: Value, path: Path): string => {
    step(loc);
    if (v === null) throw runtimeError(`Tried to manifest "null" at ${pathText(path)}`, loc);
    if (v instanceof JArray) {
      if (v.length === 0) return '[]';
      return `[ ${v.items.map((t, i) => inline(t.force(), [...path, i])).join(', ')} ]`;
    }
    if (v instanceof JObject) {
      const names = visibleFields(v);
      if (names.length === 0) return '{ }';
      return `{ ${names.map((n) => `${tomlKey(n)} = ${inline(field(v, n, loc), [...path, n])}`).join(', ')} }`;
    }
    return scalarJson(v, loc, path);
  };
  const value = (v: Value, cur: string, path: Path): string => {
    if (v instanceof JArray && v.length > 0) {
      const items = v.items.map((t, i) => cur + indent + inline(t.force(), [...path, i]));
      return `[\n${items.join(',\n')}\n${cur}]`;
    }
    return inline(v, path);
  };
  /** `names` is the section's dotted name; `path` also counts array elements, for errors. */
  const table = (obj: JObject, names: string[], path: Path, cur: string): string => {
    const fields = visibleFields(obj);
    const parts: string[] = [];
    const simple = fields.filter((n) => !isSection(field(obj, n, loc)));
    if (simple.length > 0) {
      parts.push(simple.map((n) => `${cur}${tomlKey(n)} = ${value(field(obj, n, loc), cur, [...path, n])}`).join('\n'));
    }
    for (const n of fields.filter((x) => isSection(field(obj, x, loc)))) {
      const header = [...names, n].map(tomlKey).join('.');
      const v = field(obj, n, loc);
      if (v instanceof JObject) {
        const inner = table(v, [...names, n], [...path, n], cur + indent);
        parts.push(`${cur}[${header}]${inner ? `\n${inner}` : ''}`);
        continue;
      }
      (v as JArray).items.forEach((t, i) => {
        const inner = table(t.force() as JObject, [...names, n], [...path, n, i], cur + indent);
        parts.push(`${cur}[[${header}]]${inner ? `\n${inner}` : ''}`);
      });
    }
    return parts.join('\n\n');
  };
  return table(root, [], [], '');
}

function python(v: Value, loc: Loc): string {
  step(loc);
  if (v === null) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (v instanceof JArray) return `[${v.items.map((t) => python(t.force(), loc)).join(', ')}]`;
  if (v instanceof JObject) {
    return `{${visibleFields(v)
      .map((n) => `${escapeJson(n)}: ${python(field(v, n, loc), loc)}`)
      .join(', ')}}`;
  }
  return scalarJson(v, loc, []);
}

function ini(v: Value, loc: Loc): string {
  if (!(v instanceof JObject)) throw runtimeError(`std.manifestIni: expected an object, got ${typeOf(v)}`, loc);
  const body = (o: Value): string => {
    if (!(o instanceof JObject)) throw runtimeError(`std.manifestIni: a section must be an object`, loc);
    return visibleFields(o)
      .flatMap((k) => {
        const x = field(o, k, loc);
        const vals = x instanceof JArray ? x.items.map((t) => t.force()) : [x];
        return vals.map((e) => `${k} = ${toStringValue(e, loc)}\n`);
      })
      .join('');
  };
  const main = v.fields().get('main') === true ? body(field(v, 'main', loc)) : '';
  const sections = v.fields().get('sections') === true ? field(v, 'sections', loc) : null;
  let out = main;
  if (sections instanceof JObject) {
    for (const name of visibleFields(sections)) out += `[${name}]\n${body(field(sections, name, loc))}`;
  }
  return out;
}

function xml(v: Value, loc: Loc): string {
  step(loc);
  if (typeof v === 'string') return v.replace(/[&<>"']/g, (c) => XML[c]!);
  if (!(v instanceof JArray) || v.length === 0) {
    throw runtimeError(`std.manifestXmlJsonml: expected a string or a non-empty array, got ${typeOf(v)}`, loc);
  }
  const items = v.items.map((t) => t.force());
  const tag = items[0];
  if (typeof tag !== 'string') throw runtimeError('std.manifestXmlJsonml: a tag name must be a string', loc);
  const hasAttrs = items[1] instanceof JObject;
  const attrs = hasAttrs ? (items[1] as JObject) : null;
  const children = items.slice(hasAttrs ? 2 : 1);
  const attrText = attrs
    ? visibleFields(attrs)
        .map((n) => ` ${n}="${xml(toStringValue(field(attrs, n, loc), loc), loc)}"`)
        .join('')
    : '';
  return `<${tag}${attrText}>${children.map((c) => xml(c, loc)).join('')}</${tag}>`;
}

const XML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

const bool = (name: string, v: Value, loc: Loc): boolean => {
  if (typeof v !== 'boolean') throw runtimeError(`std.${name}: expected a boolean, got ${typeOf(v)}`, loc);
  return v;
};

export const manifests: Builtin[] = [
  builtin(
    'manifestJsonEx',
    ['value', 'indent', 'newline', 'key_val_sep'],
    (args, loc) => {
      const [value, indent, newline, sep] = strictArgs(
        'manifestJsonEx',
        args,
        ['any', 'string', 'string', 'string'],
        loc,
      ) as [Value, string, string, string];
      return manifestJsonEx(value, indent, newline, sep, loc);
    },
    ['\n', ': '],
  ),
  builtin('manifestJson', ['value'], (args, loc) => manifestJsonEx(args[0]!.force(), '    ', '\n', ': ', loc)),
  builtin('manifestJsonMinified', ['value'], (args, loc) => manifestJsonEx(args[0]!.force(), '', '', ':', loc)),
  builtin(
    'manifestYamlDoc',
    ['value', 'indent_array_in_object', 'quote_keys'],
    (args, loc) =>
      yaml(
        args[0]!.force(),
        bool('manifestYamlDoc', args[1]!.force(), loc),
        bool('manifestYamlDoc', args[2]!.force(), loc),
        loc,
      ),
    [false, true],
  ),
  builtin(
    'manifestYamlStream',
    ['value', 'indent_array_in_object', 'c_document_end', 'quote_keys'],
    (args, loc) => {
      const v = args[0]!.force();
      if (!(v instanceof JArray)) {
        throw runtimeError(`manifestYamlStream only takes arrays, got ${typeOf(v)}`, loc);
      }
      const indentArrays = bool('manifestYamlStream', args[1]!.force(), loc);
      const end = bool('manifestYamlStream', args[2]!.force(), loc);
      const quote = bool('manifestYamlStream', args[3]!.force(), loc);
      if (v.length === 0) return end ? '---\n...\n' : '---\n';
      const docs = v.items.map((t) => yaml(t.force(), indentArrays, quote, loc));
      return `---\n${docs.join('\n---\n')}${end ? '\n...\n' : '\n'}`;
    },
    [false, true, true],
  ),
  builtin('manifestTomlEx', ['value', 'indent'], (args, loc) => {
    const [value, indent] = strictArgs('manifestTomlEx', args, ['any', 'string'], loc) as [Value, string];
    return toml(value, indent, loc);
  }),
  builtin('manifestToml', ['value'], (args, loc) => toml(args[0]!.force(), '  ', loc)),
  builtin('manifestIni', ['ini'], (args, loc) => ini(args[0]!.force(), loc)),
  builtin('manifestPython', ['v'], (args, loc) => python(args[0]!.force(), loc)),
  builtin('manifestPythonVars', ['conf'], (args, loc) => {
    const conf = args[0]!.force();
    if (!(conf instanceof JObject)) throw runtimeError('std.manifestPythonVars: expected an object', loc);
    return visibleFields(conf)
      .map((n) => `${n} = ${python(field(conf, n, loc), loc)}\n`)
      .join('');
  }),
  builtin('manifestXmlJsonml', ['value'], (args, loc) => xml(args[0]!.force(), loc)),
];
