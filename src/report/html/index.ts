/** Writes the HTML page of a report to `<out>/index.html`. */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Report } from '../schema.ts';
import { renderPage } from './page.ts';

export const HTML_FILE = 'index.html';

/** `root`: the knowledge base root, to turn relative links of notes into links from the page's folder. */
export function writeReportHtml(report: Report, texts: Map<string, string>, root: string, outDir: string): string {
  mkdirSync(outDir, { recursive: true });
  const pageToRoot = path.relative(outDir, root).split(path.sep).join('/') || '.';
  const file = path.join(outDir, HTML_FILE);
  writeFileSync(file, renderPage({ report, texts, pageToRoot }));
  return file;
}
