/**
 * Unified diff of a stale region. The whole file is diffed so the hunk
 * headers carry the file's real line numbers; since only the region differs,
 * the hunks cover the region and a few lines of context. Line endings and the
 * BOM are not shown (CR LF files diff like LF files).
 */
import { createTwoFilesPatch } from 'diff';
import { stripBom } from '../markdown/parse.ts';

export function unifiedDiff(relPath: string, before: string, after: string, context = 2): string {
  const normalize = (text: string): string => stripBom(text).replace(/\r\n/g, '\n');
  const patch = createTwoFilesPatch(`${relPath} (current)`, `${relPath} (expected)`, normalize(before), normalize(after), undefined, undefined, {
    context,
  });
  return patch
    .split('\n')
    .filter((line) => !/^=+$/.test(line))
    .join('\n')
    .trimEnd();
}
