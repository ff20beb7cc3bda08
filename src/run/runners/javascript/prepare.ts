/**
 * Turning one part of a js/ts example into the ES module the child imports.
 *
 * - Parse with oxc (rolldown/utils, shipped with vite 8): syntax errors are
 *   reported at note lines before anything runs.
 * - Relative import specifiers (static and `import('…')` with a string)
 *   resolve against the NOTE's directory; `import.meta.url`, `.filename` and
 *   `.dirname` name the note. Bare specifiers resolve from where the module
 *   file is written (the nearest node_modules/.cache above the note).
 * - ts: types are stripped by oxc's transform (no type checking), with a
 *   source map back to the code's lines. js is not transformed, so its lines
 *   and columns are the note's as they are.
 * - Sharing (sessions, setup/teardown): imports of earlier parts are repeated
 *   at the end of later ones (imports are hoisted, and re-importing is free),
 *   and top-level `var/let/const/function/class` become properties of
 *   globalThis — `const x = 1` turns into `;(x = 1)`, so a later part sees
 *   (and may reassign) the one binding, and closures of earlier parts see the
 *   later value. `const` loses its read-only-ness there.
 */
import { SourceMap } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import MagicString from 'magic-string';
import { parseSync, transformSync } from 'rolldown/utils';

type Node = { type: string; start: number; end: number; [key: string]: unknown };

export interface SyntaxProblem {
  message: string;
  /** 1-based line and column within the part's code. */
  line: number;
  column: number;
  frame: string;
}

export interface PreparedPart {
  /** The module's JavaScript. */
  js: string;
  /** Names the module assigns on globalThis (declared there before it runs). */
  names: string[];
  /** Map a 1-based line/column of `js` to a 1-based line/column of the part's code. */
  position(line: number, column: number): { line: number; column: number } | undefined;
  /** Whether a relative .ts module is imported (the child then registers a loader). */
  needsTs: boolean;
  syntaxError?: SyntaxProblem;
}

export interface PrepareOptions {
  lang: 'js' | 'ts';
  /** Absolute path of the note. */
  file: string;
  /** Share top-level bindings through globalThis. */
  expose: boolean;
  /** Import statements of earlier parts, by local name; this part's imports are added to it. */
  imports: Map<string, string>;
}

function lineColumn(code: string, offset: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  for (let i = 0; i < offset && i < code.length; i++) {
    if (code.charCodeAt(i) === 10) {
      line++;
      last = i;
    }
  }
  return { line, column: offset - last };
}

function syntaxProblem(code: string, errors: { message: string; labels?: { start: number }[]; codeframe?: string | null; helpMessage?: string | null }[]): SyntaxProblem | undefined {
  const first = errors[0];
  if (!first) return undefined;
  const at = lineColumn(code, first.labels?.[0]?.start ?? 0);
  const help = first.helpMessage ? ` (${first.helpMessage})` : '';
  return { message: `${first.message}${help}`, ...at, frame: first.codeframe ?? '' };
}

/** A transform error (rolldown's log shape: a colored message, `pos`). */
function transformProblem(code: string, errors: Error[]): SyntaxProblem | undefined {
  const first = errors[0] as (Error & { pos?: number }) | undefined;
  if (!first) return undefined;
  // eslint-disable-next-line no-control-regex
  const plain = first.message.replace(/\x1b\[[0-9;]*m/g, '');
  const message = (plain.split('\n')[0] ?? plain).replace(/^\[[A-Z_]+\]\s*/, '');
  return { message, ...lineColumn(code, first.pos ?? 0), frame: plain.split('\n').slice(1).join('\n') };
}

/** Names bound by a binding pattern. */
function patternNames(pattern: Node | null | undefined, out: string[]): void {
  if (!pattern) return;
  switch (pattern.type) {
    case 'Identifier':
      out.push(pattern.name as string);
      break;
    case 'ObjectPattern':
      for (const p of pattern.properties as Node[]) patternNames(p.type === 'RestElement' ? (p.argument as Node) : (p.value as Node), out);
      break;
    case 'ArrayPattern':
      for (const e of pattern.elements as (Node | null)[]) patternNames(e, out);
      break;
    case 'RestElement':
      patternNames(pattern.argument as Node, out);
      break;
    case 'AssignmentPattern':
      patternNames(pattern.left as Node, out);
      break;
    default:
      break;
  }
}

/** Value names a statement declares at top level (types excluded). */
function declaredNames(statement: Node, out: string[]): void {
  const node = statement.type === 'ExportNamedDeclaration' && statement.declaration ? (statement.declaration as Node) : statement;
  if (node.declare) return;
  switch (node.type) {
    case 'VariableDeclaration':
      for (const d of node.declarations as Node[]) patternNames(d.id as Node, out);
      break;
    case 'FunctionDeclaration':
    case 'ClassDeclaration':
    case 'TSEnumDeclaration':
    case 'TSImportEqualsDeclaration':
      if (node.id) out.push((node.id as Node).name as string);
      break;
    case 'TSModuleDeclaration':
      if ((node.id as Node | undefined)?.type === 'Identifier') out.push((node.id as Node).name as string);
      break;
    case 'ImportDeclaration':
      for (const s of (node.specifiers as Node[]) ?? []) out.push((s.local as Node).name as string);
      break;
    default:
      break;
  }
}

function walk(node: unknown, visit: (node: Node) => void): void {
  if (Array.isArray(node)) {
    for (const child of node) walk(child, visit);
    return;
  }
  if (!node || typeof node !== 'object' || typeof (node as Node).type !== 'string') return;
  visit(node as Node);
  for (const [key, value] of Object.entries(node)) {
    if (key !== 'type' && value && typeof value === 'object') walk(value, visit);
  }
}

const isRelative = (spec: string) => spec.startsWith('./') || spec.startsWith('../') || spec === '.' || spec === '..' || spec.startsWith('/');
const TS_FILE = /\.[cm]?tsx?$/;

/**
 * Rewrite module specifiers and `import.meta` to the note's location, record
 * this part's imports, and append the imports carried from earlier parts.
 */
function relocate(code: string, program: Node, options: PrepareOptions): { text: string; needsTs: boolean } {
  const s = new MagicString(code);
  const noteDir = path.dirname(options.file);
  let needsTs = false;
  const resolved = (literal: Node): string => {
    const spec = literal.value as string;
    if (!isRelative(spec)) return spec;
    if (TS_FILE.test(spec)) needsTs = true;
    return pathToFileURL(path.resolve(noteDir, spec)).href;
  };
  const rewrite = (literal: Node | null | undefined) => {
    if (!literal || literal.type !== 'Literal' || typeof literal.value !== 'string') return;
    const target = resolved(literal);
    if (target !== literal.value) s.overwrite(literal.start, literal.end, JSON.stringify(target));
  };
  const meta: Record<string, string> = {
    url: pathToFileURL(options.file).href,
    filename: options.file,
    dirname: noteDir,
  };
  walk(program, (node) => {
    switch (node.type) {
      case 'ImportDeclaration':
      case 'ExportAllDeclaration':
      case 'ExportNamedDeclaration':
      case 'ImportExpression':
        rewrite(node.source as Node | null);
        break;
      case 'MemberExpression': {
        const object = node.object as Node;
        const property = node.property as Node;
        if (object.type === 'MetaProperty' && (object.meta as Node).name === 'import' && !node.computed && property.type === 'Identifier') {
          const value = meta[property.name as string];
          if (value !== undefined) s.overwrite(node.start, node.end, JSON.stringify(value));
        }
        break;
      }
      default:
        break;
    }
  });

  const body = program.body as Node[];
  const declared: string[] = [];
  for (const statement of body) declaredNames(statement, declared);
  const own = new Set(declared);
  // Imports of earlier parts that this part does not redeclare.
  const carried = [...options.imports].filter(([name]) => !own.has(name)).map(([, statement]) => statement);
  // This part's own imports, for the parts after it; a redeclared name stops being an import.
  for (const name of own) options.imports.delete(name);
  for (const statement of body) {
    if (statement.type !== 'ImportDeclaration' || statement.importKind === 'type') continue;
    const source = JSON.stringify(resolved(statement.source as Node));
    const attributes = (statement.attributes as Node[] | undefined) ?? [];
    const withClause = attributes.length > 0 ? ` with { ${code.slice(attributes[0]!.start, attributes[attributes.length - 1]!.end)} }` : '';
    for (const spec of (statement.specifiers as Node[]) ?? []) {
      if (spec.importKind === 'type') continue;
      const local = (spec.local as Node).name as string;
      let clause: string;
      if (spec.type === 'ImportDefaultSpecifier') clause = local;
      else if (spec.type === 'ImportNamespaceSpecifier') clause = `* as ${local}`;
      else {
        const imported = spec.imported as Node;
        const name = imported.type === 'Literal' ? JSON.stringify(imported.value) : (imported.name as string);
        clause = `{ ${name} as ${local} }`;
      }
      options.imports.set(local, `import ${clause} from ${source}${withClause};`);
    }
  }
  if (carried.length > 0) s.append(`\n${carried.join('\n')}\n`);
  return { text: s.toString(), needsTs };
}

/**
 * Top-level declarations → assignments to (pre-declared) globals, keeping
 * every line where it was. Returns the names and how far line 1 shifted.
 */
function exposeDeclarations(code: string, program: Node): { text: string; names: string[]; firstLineShift: number } {
  const s = new MagicString(code);
  const names: string[] = [];
  const functions: string[] = [];
  for (let statement of program.body as Node[]) {
    if (statement.type === 'ExportNamedDeclaration' && statement.declaration) {
      const inner = statement.declaration as Node;
      s.overwrite(statement.start, inner.start, ' '.repeat(inner.start - statement.start));
      statement = inner;
    }
    if (statement.type === 'VariableDeclaration' && ['var', 'let', 'const'].includes(statement.kind as string)) {
      const declarations = statement.declarations as Node[];
      const first = declarations[0]!;
      const last = declarations[declarations.length - 1]!;
      const keyword = first.start - statement.start;
      s.overwrite(statement.start, first.start, `;(${' '.repeat(Math.max(0, keyword - 2))}`);
      for (const d of declarations) {
        patternNames(d.id as Node, names);
        if (!d.init && (d.id as Node).type === 'Identifier') s.appendLeft((d.id as Node).end, ' = void 0');
      }
      s.appendLeft(last.end, ')');
    } else if (statement.type === 'FunctionDeclaration' && statement.id) {
      const name = (statement.id as Node).name as string;
      names.push(name);
      functions.push(name);
    } else if (statement.type === 'ClassDeclaration' && statement.id) {
      const name = (statement.id as Node).name as string;
      names.push(name);
      s.prependRight(statement.start, `;${name} = `);
      s.appendLeft(statement.end, ';');
    }
  }
  // Function declarations are hoisted: publish them before anything runs.
  const prefix = functions.map((f) => `globalThis[${JSON.stringify(f)}] = ${f};`).join('');
  if (prefix) s.prepend(prefix);
  return { text: s.toString(), names: [...new Set(names)], firstLineShift: prefix.length };
}

export function preparePart(code: string, options: PrepareOptions): PreparedPart {
  const lang = options.lang;
  const parsed = parseSync(`example.${lang}`, code, { lang, sourceType: 'module' });
  const errors = parsed.errors.filter((e) => e.severity !== 'Warning');
  const failed = syntaxProblem(code, errors);
  const identity = (line: number, column: number) => ({ line, column });
  if (failed) return { js: '', names: [], position: identity, needsTs: false, syntaxError: failed };
  const program = parsed.program as unknown as Node;
  const { text, needsTs } = relocate(code, program, options);

  let js = text;
  let map: SourceMap | undefined;
  if (lang === 'ts') {
    const out = transformSync('example.ts', text, { lang: 'ts', sourceType: 'module', sourcemap: true });
    const problem = transformProblem(text, out.errors);
    if (problem) return { js: '', names: [], position: identity, needsTs, syntaxError: problem };
    js = out.code;
    if (out.map) map = new SourceMap(out.map as unknown as ConstructorParameters<typeof SourceMap>[0]);
  }

  let names: string[] = [];
  let shift = 0;
  if (options.expose) {
    const again = js === code ? program : (parseSync('example.js', js, { lang: 'js', sourceType: 'module' }).program as unknown as Node);
    const exposed = exposeDeclarations(js, again);
    js = exposed.text;
    names = exposed.names;
    shift = exposed.firstLineShift;
  }

  const lineCount = code.split('\n').length;
  const position = (line: number, column: number) => {
    const col = line === 1 ? Math.max(1, column - shift) : column;
    let at = { line, column: col };
    if (map) {
      const entry = map.findEntry(line - 1, col - 1) as { originalLine?: number; originalColumn?: number };
      if (entry.originalLine === undefined) return undefined;
      at = { line: entry.originalLine + 1, column: (entry.originalColumn ?? 0) + 1 };
    }
    return at.line <= lineCount ? at : undefined;
  };
  return { js, names, position, needsTs };
}
