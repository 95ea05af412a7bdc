// Modules: package, imports and rules, in Rego v1 or v0 syntax.
//
// v1 (OPA 1.x): `if` before every rule body, `contains` for multi-value rules, all keywords on.
// v0: `p[x] { ... }` is a partial set, `p { ... }` needs no `if`, and `in`, `every`, `if`,
// `contains` are keywords only after `import future.keywords[.x]` or `import rego.v1` (which
// also switches the module to v1 rules).
import { RegoError, type Location } from '../errors.js';
import type { Comment, Token } from './lexer.js';
import type { Body, Import, Module, RegoVersion, Rule, Term } from './nodes.js';
import { BodyParser } from './parse-body.js';
import { FUTURE_KEYWORDS, type ParseState } from './parse-terms.js';

const TRUE = (loc: Location): Term => ({ type: 'scalar', value: true, loc });

/** Shown with errors typical of a v0 module read as v1. */
export const V0_HINT =
  'this looks like Rego v0 syntax: pass --v0-compatible (CLI) or regoVersion: 0 (API), ' +
  'or add `if`/`contains` to the rules';

export class ModuleParser extends BodyParser {
  private version: RegoVersion;

  constructor(
    tokens: readonly Token[],
    file: string,
    version: RegoVersion,
    private readonly comments: readonly Comment[],
  ) {
    const state: ParseState = { keywords: new Set(version === 1 ? FUTURE_KEYWORDS : []), wildcards: 0 };
    super(tokens, file, state);
    this.version = version;
  }

  parseModule(): Module {
    if (!this.isKw('package')) throw this.unexpected('`package`');
    const pkgTok = this.advance();
    const pkg = this.parseRefPath('package');
    // As in OPA, imports may appear anywhere after the package (they apply to the whole module).
    const imports: Import[] = [];
    const rules: Rule[] = [];
    while (this.tok.kind !== 'eof') {
      if (this.isKw('import')) {
        imports.push(this.parseImport());
        continue;
      }
      if (this.isKw('package')) throw this.error('unexpected package: a file holds one module');
      if (this.isOp(';')) {
        this.advance();
        continue;
      }
      rules.push(...this.parseRule());
    }
    const module: Module = { file: this.file, pkg, pkgLoc: pkgTok.loc, imports, rules, regoVersion: this.version };
    attachAnnotations(module, this.comments);
    return module;
  }

  /** `a.b["c"]` as plain strings (package paths, imports). */
  private parseRefPath(what: string): string[] {
    const first = this.tok;
    if (first.kind !== 'ident') throw this.unexpected('ident');
    this.advance();
    const path = [first.text];
    for (;;) {
      if (!this.adjacent()) break;
      if (this.isOp('.')) {
        this.advance();
        if (this.tok.kind !== 'ident') throw this.unexpected('ident');
        path.push(this.advance().text);
      } else if (this.isOp('[')) {
        this.advance();
        const key = this.tok;
        if (key.kind !== 'string' && key.kind !== 'rawstring')
          throw this.error(`${what} path segments must be strings`, key.loc);
        this.advance();
        path.push(key.text);
        this.expectOp(']');
      } else break;
    }
    return path;
  }

  private parseImport(): Import {
    const at = this.advance().loc;
    const path = this.parseRefPath('import');
    let alias: string | undefined;
    if (this.isKw('as')) {
      this.advance();
      if (this.tok.kind !== 'ident') throw this.unexpected('ident');
      alias = this.advance().text;
    }
    const root = path[0];
    if (root === 'future') {
      if (path[1] !== 'keywords' || path.length > 3)
        throw this.error(`invalid import ${path.join('.')}: use future.keywords or future.keywords.<name>`, at);
      const named = path[2];
      if (named !== undefined && !(FUTURE_KEYWORDS as readonly string[]).includes(named))
        throw this.error(
          `unexpected keyword ${named} in import future.keywords (expected one of: ${FUTURE_KEYWORDS.join(', ')})`,
          at,
        );
      for (const k of named ? [named] : FUTURE_KEYWORDS) this.state.keywords.add(k);
    } else if (root === 'rego') {
      if (path.length !== 2 || path[1] !== 'v1')
        throw this.error(`invalid import ${path.join('.')}: the only rego import is rego.v1`, at);
      for (const k of FUTURE_KEYWORDS) this.state.keywords.add(k);
      this.version = 1;
    } else if (root !== 'data' && root !== 'input') {
      throw this.error(`invalid import path ${path.join('.')}: must begin with input or data`, at);
    }
    return { path, alias, loc: at };
  }

  /** One rule with its `else` chain (v0 `p { a } { b }` gives several rules). */
  private parseRule(): Rule[] {
    const start = this.tok;
    const isDefault = this.isKw('default');
    if (isDefault) this.advance();
    const { ref, dots } = this.parseRuleRef();
    let args: Term[] | undefined;
    let parens = false;
    // `p()` declares no arguments: as in OPA, it is a plain rule, not a zero-argument function.
    if (this.isOp('(') && this.adjacent()) {
      parens = true;
      const parsed = this.parseArgs();
      if (parsed.length > 0) args = parsed;
    }

    let key: Term | undefined;
    if (this.isKw('contains')) {
      // A function has one value per argument list; OPA refuses the head (also `p()`) at `contains`.
      if (parens) {
        const name = ref.map((t) => (t.type === 'var' ? t.name : t.type === 'scalar' ? String(t.value) : '...'));
        throw this.error(
          `the contains keyword can only be used with multi-value rule definitions (e.g., ${name.join('.')} ` +
            `contains <VALUE> { ... })`,
          this.tok.loc,
        );
      }
      this.advance();
      key = this.parseTermIn(false);
    }
    let value: Term | undefined;
    let assign = false;
    if (!key && (this.isOp(':=') || this.isOp('='))) {
      assign = this.advance().text === ':=';
      value = this.parseTermIn(false);
    }
    if (isDefault) {
      if (!value) throw this.unexpected('`:=` or `=` (a default rule needs a value)');
      if (key) throw this.error('default rules cannot be multi-value (contains)', start.loc);
      return [
        this.makeRule({
          ref,
          args,
          value,
          assign,
          isDefault,
          body: [{ expr: { kind: 'term', term: TRUE(start.loc) }, negated: false, withs: [], loc: start.loc }],
          loc: start.loc,
          multi: false,
        }),
      ];
    }

    // v0 `p[x] { ... }`: a partial set whose key is the last ref segment.
    let multi = key !== undefined;
    if (!multi && !value && !args && this.version === 0 && ref.length > 1 && !this.isKw('if')) {
      const last = ref[ref.length - 1]!;
      if (!dots.has(last)) {
        key = ref.pop()!;
        multi = true;
      }
    }
    const bodies = this.parseRuleBodies(start);
    const implicitValue = !value && !multi;
    const rules: Rule[] = [];
    for (const body of bodies) {
      const rule = this.makeRule({
        ref: [...ref],
        args,
        key,
        value: multi ? undefined : (value ?? TRUE(start.loc)),
        assign,
        isDefault: false,
        body,
        loc: start.loc,
        multi,
        implicitValue,
      });
      rules.push(rule);
    }
    const first = rules[0]!;
    let tail = first;
    while (this.isKw('else')) {
      if (multi) throw this.error('else keyword cannot be used on multi-value rules', this.tok.loc);
      const elseTok = this.advance();
      let elseValue: Term = TRUE(elseTok.loc);
      if (this.isOp(':=') || this.isOp('=')) {
        this.advance();
        elseValue = this.parseTermIn(false);
      }
      const [body] = this.parseRuleBodies(elseTok, true);
      const rule = this.makeRule({
        ref: [...ref],
        args,
        value: elseValue,
        assign,
        isDefault: false,
        body: body!,
        loc: elseTok.loc,
        multi: false,
      });
      tail.else = rule;
      tail = rule;
    }
    return rules;
  }

  private makeRule(r: Omit<Rule, 'file' | 'regoVersion'>): Rule {
    return { ...r, file: this.file, regoVersion: this.version };
  }

  /** `if {...}`, `if expr`, v0 `{...}` (possibly several), or nothing (body `true`). */
  private parseRuleBodies(start: Token, isElse = false): Body[] {
    const trueBody = (): Body => [
      { expr: { kind: 'term', term: TRUE(start.loc) }, negated: false, withs: [], loc: start.loc },
    ];
    if (this.isKw('if')) {
      this.advance();
      if (this.isOp('{')) {
        // A brace is a body, unless it only parses as a term (`if {x: 1 | ...}`).
        const saved = this.save();
        try {
          return [this.parseBraceBody()];
        } catch (e) {
          this.restore(saved);
          try {
            return [[this.parseLiteral()]];
          } catch {
            throw e;
          }
        }
      }
      return [[this.parseLiteral()]];
    }
    if (this.isOp('{') && !this.tok.nl) {
      if (this.version === 1)
        throw new RegoError('rego_parse_error', '`if` keyword is required before rule body', this.tok.loc, V0_HINT);
      const bodies = [this.parseBraceBody()];
      // v0 allows `p { a } { b }`: one rule per body.
      while (!isElse && this.isOp('{') && !this.tok.nl) bodies.push(this.parseBraceBody());
      return bodies;
    }
    if (this.isOp('{') && this.version === 0) return [this.parseBraceBody()];
    return [trueBody()];
  }

  /** A rule head ref: `p`, `a.b.c`, `p[x]`, `p["k"].q`; `dots` are the segments written `.k`. */
  private parseRuleRef(): { ref: Term[]; dots: Set<Term> } {
    const dots = new Set<Term>();
    const first = this.tok;
    if (first.kind !== 'ident' || (this.isKeyword(first.text) && !this.namesRef()))
      throw this.unexpected('rule name (ident)');
    this.advance();
    const ref: Term[] = [{ type: 'var', name: first.text, loc: first.loc }];
    for (;;) {
      if (!this.adjacent()) break;
      if (this.isOp('.')) {
        this.advance();
        const t = this.tok;
        if (t.kind !== 'ident') throw this.unexpected('ident');
        this.advance();
        const seg: Term = { type: 'scalar', value: t.text, loc: t.loc };
        dots.add(seg);
        ref.push(seg);
      } else if (this.isOp('[')) {
        this.advance();
        ref.push(this.parseTermIn(false));
        this.expectOp(']');
      } else break;
    }
    return { ref, dots };
  }

  private parseArgs(): Term[] {
    this.advance();
    const args: Term[] = [];
    while (!this.isOp(')')) {
      args.push(this.parseTermIn(false));
      if (this.isOp(',')) this.advance();
      else if (!this.isOp(')')) throw this.unexpected('`,` or `)`');
    }
    this.advance();
    return args;
  }
}

/**
 * `# METADATA` comment blocks: YAML in comments, attached to the package or rule that
 * directly follows the block.
 */
function attachAnnotations(module: Module, comments: readonly Comment[]): void {
  const blocks: { text: string; endLine: number }[] = [];
  for (let i = 0; i < comments.length; i++) {
    if (comments[i]!.text.trim() !== 'METADATA') continue;
    const lines: string[] = [];
    let line = comments[i]!.loc.line;
    let j = i + 1;
    while (j < comments.length && comments[j]!.loc.line === line + 1) {
      lines.push(comments[j]!.text.replace(/^ /, ''));
      line++;
      j++;
    }
    blocks.push({ text: lines.join('\n'), endLine: line });
    i = j - 1;
  }
  const find = (line: number) => blocks.find((b) => b.endLine === line - 1)?.text;
  module.annotations = find(module.pkgLoc.line);
  for (const rule of module.rules) {
    const a = find(rule.loc.line);
    if (a !== undefined) rule.annotations = a;
  }
}
