/**
 * Note-level settings: the `kb:` key of a note's YAML front matter sets for the
 * whole note what an info string sets for one example.
 *
 *   ---
 *   kb:
 *     requires: [python>=3.11, numpy]   # every example needs these (else skipped)
 *     skip: needs a GPU                 # or `true`: no example of the note runs
 *     timeout: 30                       # seconds, for examples that do not set `timeout=`
 *     run: marked                       # only fences marked `test` run; the rest are listed as not run
 *     options: { ellipsis: true }       # match options for every example
 *     python: { normalize-whitespace: true }   # ... or for one runner's examples
 *     network: true                     # and memory: 2G, processes, filesize, disk (as at the top level)
 *     hashseed: 0                       # same as the top-level `hashseed:` (still accepted)
 *   ---
 *
 * Precedence: the example's info string, then these, then the configuration.
 * Every key is validated; an unknown one is a positioned error with "did you mean".
 */
import type { Yaml } from 'mdast';
import { isMap, LineCounter, parseDocument, type Node as YamlNode, type Pair } from 'yaml';
import { closest } from '../config/suggest.ts';
import { report, type RuleId } from '../diagnostics/index.ts';
import type { Note } from '../markdown/parse.ts';
import { parseCondition } from '../run/requires.ts';
import { parse as parseYaml } from 'yaml';
import { LIMIT_OPTIONS, parseSize } from '../run/sandbox/limits.ts';
import type { ExampleOptions, MatchMode, NotePlan, RunnerName } from './types.ts';

export type RunMode = 'all' | 'marked';

export interface NoteSettings {
  hashSeed: string;
  requires: string[];
  skip?: string | true;
  timeoutMs?: number;
  run?: RunMode;
  /** Match modes for every example (`'*'`) or one runner's. */
  modes: Partial<Record<RunnerName | '*', MatchMode[]>>;
  /** `kb.network` and `kb.memory`-style limits, validated (sizes in bytes), as an info string's options. */
  sandbox: Record<string, unknown>;
}

const RUNNERS: readonly RunnerName[] = ['python', 'pycon', 'js', 'ts', 'sh', 'console'];
const MODE_OPTIONS: readonly MatchMode[] = ['ellipsis', 'normalize-whitespace'];
const SANDBOX_KEYS = ['network', ...Object.keys(LIMIT_OPTIONS)];
const KEYS = ['requires', 'skip', 'timeout', 'run', 'options', 'hashseed', ...SANDBOX_KEYS, ...RUNNERS];

interface Reader {
  note: Note;
  yaml: Yaml;
  lines: LineCounter;
}

/** Read `hashseed:` and `kb:`; problems are reported on the note's file at the offending key or value. */
export function readNoteSettings(note: Note): NoteSettings {
  const settings: NoteSettings = { hashSeed: '0', requires: [], modes: {}, sandbox: {} };
  const yaml = note.tree.children.find((n): n is Yaml => n.type === 'yaml');
  if (!yaml) return settings;
  const lines = new LineCounter();
  const doc = parseDocument(yaml.value, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0) {
    report(note.file, `front matter is not valid YAML: ${doc.errors[0]!.message.split('\n')[0]}`, yaml.position?.start, 'front-matter-yaml');
    return settings;
  }
  const reader: Reader = { note, yaml, lines };
  const top = doc.contents;
  if (!isMap(top)) return settings;
  const topSeed = top.items.find((pair) => keyOf(pair) === 'hashseed');
  if (topSeed) readHashSeed(reader, topSeed, settings);
  const kb = top.items.find((pair) => keyOf(pair) === 'kb');
  if (!kb) return settings;
  if (!isMap(kb.value)) {
    fail(reader, kb.value ?? kb.key, '`kb:` in front matter is a map of settings, e.g. `kb: { timeout: 30 }`', 'front-matter-value');
    return settings;
  }
  for (const pair of kb.value.items) {
    const key = keyOf(pair);
    const value = (pair.value as YamlNode | null)?.toJSON?.() ?? null;
    switch (key) {
      case 'requires': {
        const list = typeof value === 'string' ? value.split(',').map((s) => s.trim()).filter(Boolean) : value;
        if (!Array.isArray(list) || !list.every((c) => typeof c === 'string')) {
          fail(reader, pair.value, '`kb.requires` is a list of conditions, e.g. `[python>=3.11, numpy]`', 'front-matter-value');
          break;
        }
        for (const condition of list as string[]) {
          const parsed = parseCondition(condition);
          if (typeof parsed === 'string') fail(reader, pair.value, `\`kb.requires\`: ${parsed}`, 'front-matter-value');
          else settings.requires.push(condition);
        }
        break;
      }
      case 'skip':
        if (value === true || (typeof value === 'string' && value.trim() !== '')) settings.skip = value;
        else if (value !== false) fail(reader, pair.value, '`kb.skip` is `true` or the reason, e.g. `skip: needs a GPU`', 'front-matter-value');
        break;
      case 'timeout':
        if (typeof value === 'number' && Number.isFinite(value) && value > 0) settings.timeoutMs = Math.round(value * 1000);
        else fail(reader, pair.value, '`kb.timeout` is a positive number of seconds, e.g. `timeout: 30`', 'front-matter-value');
        break;
      case 'run':
        if (value === 'all' || value === 'marked') settings.run = value;
        else fail(reader, pair.value, '`kb.run` is `all` (every fence in a language that runs) or `marked` (only fences marked `test`)', 'front-matter-value');
        break;
      case 'hashseed':
        if (topSeed) fail(reader, pair.key, '`hashseed` is given twice (top level and under `kb:`); keep one', 'front-matter-value');
        else readHashSeed(reader, pair, settings);
        break;
      case 'options':
        readModes(reader, pair, '*', settings);
        break;
      case 'network':
        if (typeof value === 'boolean') settings.sandbox['network'] = value;
        else fail(reader, pair.value, '`kb.network` is `true` or `false`', 'front-matter-value');
        break;
      default:
        if (key in LIMIT_OPTIONS) {
          const size = parseSize(String(value));
          if (size === undefined) fail(reader, pair.value, `\`kb.${key}\` needs a size such as \`512M\` or \`2G\``, 'front-matter-value');
          else settings.sandbox[key] = size;
        } else if ((RUNNERS as readonly string[]).includes(key)) readModes(reader, pair, key as RunnerName, settings);
        else unknownKey(reader, pair.key, `kb.${key}`, key, KEYS);
    }
  }
  return settings;
}

function readHashSeed(reader: Reader, pair: Pair, settings: NoteSettings): void {
  const seed = (pair.value as YamlNode | null)?.toJSON?.();
  if ((typeof seed === 'number' && Number.isInteger(seed) && seed >= 0) || seed === 'random') settings.hashSeed = String(seed);
  else fail(reader, pair.value, '`hashseed` in front matter must be a non-negative integer or `random`', 'front-matter-value');
}

function readModes(reader: Reader, pair: Pair, scope: RunnerName | '*', settings: NoteSettings): void {
  const name = scope === '*' ? 'kb.options' : `kb.${scope}`;
  if (!isMap(pair.value)) {
    fail(reader, pair.value ?? pair.key, `\`${name}\` is a map of options, e.g. \`{ ellipsis: true }\``, 'front-matter-value');
    return;
  }
  const modes: MatchMode[] = [];
  for (const option of pair.value.items) {
    const key = keyOf(option);
    if (!(MODE_OPTIONS as readonly string[]).includes(key)) {
      unknownKey(reader, option.key, `${name}.${key}`, key, MODE_OPTIONS);
      continue;
    }
    const on = (option.value as YamlNode | null)?.toJSON?.();
    if (typeof on !== 'boolean') fail(reader, option.value, `\`${name}.${key}\` is \`true\` or \`false\``, 'front-matter-value');
    else if (on) modes.push(key as MatchMode);
  }
  settings.modes[scope] = modes;
}

function keyOf(pair: Pair): string {
  const key = pair.key as YamlNode | null;
  return String(key?.toJSON?.() ?? key ?? '');
}

function unknownKey(reader: Reader, node: unknown, path: string, key: string, known: readonly string[]): void {
  const guess = closest(key, known);
  const hint = guess ? ` (did you mean \`${guess}\`?)` : '';
  fail(reader, node, `unknown front matter key \`${path}\`${hint}; known keys here: ${known.join(', ')}`, 'front-matter-unknown-key');
}

/** Report at a YAML node: its line and column in the note (the front matter starts on the line after `---`). */
function fail(reader: Reader, node: unknown, message: string, ruleId: RuleId): void {
  const start = reader.yaml.position?.start;
  const range = (node as { range?: [number, number, number] } | null)?.range;
  if (!start || !range) {
    report(reader.note.file, message, start, ruleId);
    return;
  }
  const { line, col } = reader.lines.linePos(range[0]);
  report(reader.note.file, message, { line: start.line + line, column: col }, ruleId);
}

/** `network` and the limits of an example's info string (already validated as sizes). */
export function sandboxOptions(values: Record<string, unknown>): Pick<ExampleOptions, 'network' | 'limits'> {
  const limits: NonNullable<ExampleOptions['limits']> = {};
  for (const [option, key] of Object.entries(LIMIT_OPTIONS)) if (typeof values[option] === 'number') limits[key as keyof typeof limits] = values[option] as number;
  return { ...(typeof values['network'] === 'boolean' ? { network: values['network'] } : {}), ...(Object.keys(limits).length > 0 ? { limits } : {}) };
}

/** `network: true` and the limits (`memory: 2G`, `processes: 512`, `filesize: 1G`, `disk: 2G`) of a note's front matter. */
export function frontMatterSandbox(note: Note): NotePlan['sandbox'] {
  const yaml = note.tree.children.find((n): n is Yaml => n.type === 'yaml');
  if (!yaml) return undefined;
  let data: Record<string, unknown> | null;
  try {
    data = parseYaml(yaml.value) as Record<string, unknown> | null;
  } catch {
    return undefined; // reported by readNoteSettings
  }
  if (!data || typeof data !== 'object') return undefined;
  const values: Record<string, unknown> = {};
  const network = data['network'];
  if (network !== undefined) {
    if (typeof network === 'boolean') values['network'] = network;
    else report(note.file, '`network` in front matter must be `true` or `false`', yaml.position?.start, 'front-matter-value');
  }
  for (const option of Object.keys(LIMIT_OPTIONS)) {
    const raw = data[option];
    if (raw === undefined) continue;
    const size = parseSize(String(raw));
    if (size === undefined) report(note.file, `\`${option}\` in front matter needs a size such as \`512M\` or \`2G\``, yaml.position?.start, 'front-matter-value');
    else values[option] = size;
  }
  const options = sandboxOptions(values);
  return Object.keys(options).length > 0 ? options : undefined;
}
