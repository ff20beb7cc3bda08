/** The report as JSON (schema.ts), written to `<out>/report.json`. */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Report } from './schema.ts';

export const JSON_FILE = 'report.json';

export function reportJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/** Returns the path written. */
export function writeReportJson(report: Report, outDir: string): string {
  mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, JSON_FILE);
  writeFileSync(file, reportJson(report));
  return file;
}
