/** The public API (`import … from 'kb-doctest'`) is exactly these names: adding or removing one is a decision. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as api from '../../src/index.ts';

describe('the public API', () => {
  it('exports exactly the documented names', () => {
    expect(Object.keys(api).sort()).toEqual(
      [
        'CONFIG_FILES', 'ConfigError', 'RULES', 'SCHEMA_VERSION', 'buildLinkIndex', 'buildReport', 'checkExternalLinks',
        'checkLinks', 'checkToc', 'collectNotes', 'extractPlan', 'formatDiagnostic', 'isRuleId', 'languageRuns', 'loadConfig',
        'noteFromText', 'noteMatcher', 'planNote', 'planToc', 'readNote', 'reportJson', 'ruleOf', 'settingsFor', 'toPlain',
        'updateToc', 'writeReportJson',
      ].sort(),
    );
  });

  it('loads a configuration, collects the notes and plans one, as a tool author would', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'kb-api-'));
    writeFileSync(path.join(root, 'package.json'), JSON.stringify({ kb: { notes: ['docs/**/*.md'] } }));
    const { mkdirSync } = await import('node:fs');
    mkdirSync(path.join(root, 'docs'));
    writeFileSync(path.join(root, 'docs', 'a.md'), '# A\n\n```python\nprint(1)\n```\n\n```output\n1\n```\n\n[b](b.md)\n');
    const config = await api.loadConfig({ root });
    const files = api.collectNotes(config).files;
    expect(files.map((f) => path.relative(root, f))).toEqual([path.join('docs', 'a.md')]);
    const { note, plan } = api.planNote(files[0]!, { root });
    expect(plan.items.filter((item) => item.kind === 'example')).toHaveLength(1);
    const problems = api.checkLinks(note, api.buildLinkIndex({ root, notes: files }));
    expect(problems.map((p) => p.ruleId)).toEqual(['missing-file']);
    expect(api.isRuleId('missing-file')).toBe(true);
    await expect(api.loadConfig({ root, inline: { notse: [] } as never })).rejects.toThrow(/unknown key "notse"/);
  });
});
