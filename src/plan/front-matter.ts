/** The front matter settings a note's plan reads (`hashseed:`, `network:` and the limits). */
import type { Yaml } from 'mdast';
import { parse as parseYaml } from 'yaml';
import { report } from '../diagnostics/index.ts';
import type { Note } from '../markdown/parse.ts';
import { LIMIT_OPTIONS, parseSize } from '../run/sandbox/limits.ts';
import type { ExampleOptions, NotePlan } from './types.ts';

/** The note's `PYTHONHASHSEED`: `hashseed:` in front matter, default `0`. */
export function frontMatterHashSeed(note: Note): string {
  const yaml = note.tree.children.find((n): n is Yaml => n.type === 'yaml');
  if (!yaml) return '0';
  try {
    const data = parseYaml(yaml.value) as Record<string, unknown> | null;
    const seed = data?.['hashseed'];
    if (seed === undefined) return '0';
    if ((typeof seed === 'number' && Number.isInteger(seed) && seed >= 0) || seed === 'random') return String(seed);
    report(note.file, '`hashseed` in front matter must be a non-negative integer or `random`', yaml.position?.start, 'front-matter-value');
  } catch (error) {
    report(note.file, `front matter is not valid YAML: ${(error as Error).message.split('\n')[0]}`, yaml.position?.start, 'front-matter-yaml');
  }
  return '0';
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
    return undefined; // reported by frontMatterHashSeed
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
