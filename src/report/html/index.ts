/** Writes the HTML page of a report to `<out>/index.html`. */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Report } from '../schema.ts';
import { createHighlight } from './highlight.ts';
import { renderPage } from './page.ts';

export const HTML_FILE = 'index.html';

/** `root`: the knowledge base root, to turn relative links of notes into links from the page's folder. */
export async function writeReportHtml(report: Report, texts: Map<string, string>, root: string, outDir: string): Promise<string> {
  mkdirSync(outDir, { recursive: true });
  const pageToRoot = pageToRootPath(root, outDir);
  const file = path.join(outDir, HTML_FILE);
  const highlight = await createHighlight(pageLanguages(report));
  writeFileSync(file, renderPage({ report, texts, pageToRoot, highlight }));
  return file;
}

/** The languages of the page's code: examples, and Python for hidden checks and setup. */
function pageLanguages(report: Report): Set<string> {
  const langs = new Set(report.notes.flatMap((n) => n.examples.map((e) => e.lang)));
  if (report.notes.some((n) => n.claims.some((c) => c.evidence.some((e) => e.kind === 'check')))) langs.add('python');
  return langs;
}

/**
 * From the page's folder to the root, so links of notes to files work where the report sits in the
 * project (`.kb/report/`). A page written elsewhere (a CI artifact folder) links root-relative paths
 * instead: the climb out of its folder would spell the machine's folders and lead nowhere elsewhere.
 */
export function pageToRootPath(root: string, outDir: string): string {
  const inside = path.relative(root, outDir);
  if (inside.startsWith('..') || path.isAbsolute(inside)) return '.';
  return path.relative(outDir, root).split(path.sep).join('/') || '.';
}
