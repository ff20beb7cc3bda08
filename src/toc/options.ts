/**
 * Per-note TOC options. Defaults: headings of depth 2 to 4. A note overrides
 * them in its YAML front matter (`toc: {minDepth: 2, maxDepth: 3}`) or on its
 * start marker (`<!-- toc min-depth=2 max-depth=3 -->`); the marker wins.
 * Unknown or invalid options are positioned errors, never silently ignored.
 */
import type { Root, Yaml } from 'mdast';
import type { Point } from 'unist';
import { isMap, isScalar, LineCounter, parseDocument } from 'yaml';

export interface TocOptions {
  minDepth: number;
  maxDepth: number;
}

export const DEFAULT_TOC_OPTIONS: Readonly<TocOptions> = { minDepth: 2, maxDepth: 4 };

export interface OptionProblem {
  reason: string;
  place: Point;
  ruleId: 'toc-option-unknown' | 'toc-option-invalid';
}

export interface OptionsResult {
  options: Partial<TocOptions>;
  problems: OptionProblem[];
}

const MARKER_KEYS: Record<string, keyof TocOptions> = { 'min-depth': 'minDepth', 'max-depth': 'maxDepth' };
const FRONT_MATTER_KEYS = new Set<string>(['minDepth', 'maxDepth']);

function depthValue(raw: unknown): number | undefined {
  const value = typeof raw === 'string' && /^\d+$/.test(raw.trim()) ? Number(raw) : raw;
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 6 ? value : undefined;
}

/** Options written after `toc` in a start marker, e.g. ` max-depth=3`. `start` is where `rest` begins. */
export function parseMarkerOptions(rest: string, start: Point): OptionsResult {
  const options: Partial<TocOptions> = {};
  const problems: OptionProblem[] = [];
  for (const match of rest.matchAll(/\S+/g)) {
    const token = match[0];
    const place = { line: start.line, column: start.column + (match.index ?? 0) };
    const [, key, value] = /^([^=]+)=(.*)$/.exec(token) ?? [undefined, token, undefined];
    const name = key === undefined ? undefined : MARKER_KEYS[key];
    if (key === undefined || name === undefined) {
      problems.push({
        reason: `unknown TOC option "${key ?? token}" (known: min-depth=N, max-depth=N)`,
        place,
        ruleId: 'toc-option-unknown',
      });
      continue;
    }
    const depth = depthValue(value);
    if (depth === undefined) {
      problems.push({ reason: `TOC option ${key} must be a heading depth from 1 to 6, got "${value ?? ''}"`, place, ruleId: 'toc-option-invalid' });
      continue;
    }
    options[name] = depth;
  }
  return { options, problems };
}

/**
 * `toc: {maxDepth: 3}` / `toc: {minDepth: 2, maxDepth: 3}` on one line, the
 * only `toc` key, nothing indented under it: read without a YAML parse (which
 * costs about a millisecond). Anything else goes to the YAML parser.
 */
function simpleFlowOptions(yaml: string): Partial<TocOptions> | undefined {
  const lines = yaml.split(/\r?\n/);
  const index = lines.findIndex((line) => /^toc\s*:/.test(line));
  if (index === -1 || lines.some((line, i) => i !== index && /^toc\s*:/.test(line)) || /^[ \t]/.test(lines[index + 1] ?? '')) return undefined;
  const match = /^toc:[ ]*\{[ ]*(minDepth|maxDepth)[ ]*:[ ]*([1-6])[ ]*(?:,[ ]*(minDepth|maxDepth)[ ]*:[ ]*([1-6])[ ]*)?\}[ ]*$/.exec(lines[index] as string);
  if (!match || match[1] === match[3]) return undefined;
  const options: Partial<TocOptions> = { [match[1] as keyof TocOptions]: Number(match[2]) };
  if (match[3]) options[match[3] as keyof TocOptions] = Number(match[4]);
  return options;
}

/** The `toc:` entry of the note's YAML front matter, if any. Invalid YAML is left to other checks. */
export function frontMatterOptions(tree: Root): OptionsResult {
  const yamlNode = tree.children.find((node): node is Yaml => node.type === 'yaml');
  const empty: OptionsResult = { options: {}, problems: [] };
  if (!yamlNode?.position || !/(^|\n)toc\s*:/.test(yamlNode.value)) return empty;
  const quick = simpleFlowOptions(yamlNode.value);
  if (quick) return { options: quick, problems: [] };
  const lineCounter = new LineCounter();
  const doc = parseDocument(yamlNode.value, { lineCounter });
  if (doc.errors.length > 0 || !isMap(doc.contents)) return empty;
  // The YAML value starts on the line after the opening `---`.
  const firstLine = yamlNode.position.start.line + 1;
  const placeOf = (range: [number, number, number] | null | undefined): Point => {
    const pos = lineCounter.linePos(range?.[0] ?? 0);
    return { line: firstLine + pos.line - 1, column: pos.col };
  };
  const pair = doc.contents.items.find((item) => isScalar(item.key) && item.key.value === 'toc');
  if (!pair) return empty;
  const value = pair.value;
  const options: Partial<TocOptions> = {};
  const problems: OptionProblem[] = [];
  if (!isMap(value)) {
    const range = (value as { range?: [number, number, number] } | null)?.range ?? (pair.key as { range?: [number, number, number] }).range;
    problems.push({ reason: 'front matter "toc" must be a map like {minDepth: 2, maxDepth: 4}', place: placeOf(range), ruleId: 'toc-option-invalid' });
    return { options, problems };
  }
  for (const item of value.items) {
    const key = isScalar(item.key) ? String(item.key.value) : String(item.key);
    const place = placeOf(isScalar(item.key) ? item.key.range : undefined);
    if (!FRONT_MATTER_KEYS.has(key)) {
      problems.push({ reason: `unknown TOC option "toc.${key}" in front matter (known: minDepth, maxDepth)`, place, ruleId: 'toc-option-unknown' });
      continue;
    }
    const raw = isScalar(item.value) ? item.value.value : undefined;
    const depth = depthValue(raw);
    if (depth === undefined) {
      problems.push({ reason: `front matter toc.${key} must be a heading depth from 1 to 6`, place, ruleId: 'toc-option-invalid' });
      continue;
    }
    options[key as keyof TocOptions] = depth;
  }
  return { options, problems };
}

/** Defaults, then front matter, then marker options; checks minDepth <= maxDepth. */
export function resolveOptions(layers: Partial<TocOptions>[], place: Point): { options: TocOptions; problems: OptionProblem[] } {
  const options: TocOptions = Object.assign({}, DEFAULT_TOC_OPTIONS, ...layers);
  const problems: OptionProblem[] = [];
  if (options.minDepth > options.maxDepth) {
    problems.push({
      reason: `TOC min depth ${options.minDepth} is greater than max depth ${options.maxDepth}`,
      place,
      ruleId: 'toc-option-invalid',
    });
  }
  return { options, problems };
}
