/** The front matter settings a note's plan reads (`hashseed:`). */
import type { Yaml } from 'mdast';
import { parse as parseYaml } from 'yaml';
import { report } from '../diagnostics/index.ts';
import type { Note } from '../markdown/parse.ts';

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
