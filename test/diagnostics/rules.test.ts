/**
 * The rule registry: each plan-stage rule's example raises exactly that rule;
 * TOC and reference-link examples are checked by their own stage; every rule
 * is raised somewhere in src; the README's table is current.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES, type RuleId } from '../../src/diagnostics/index.ts';
import { RULES_END, RULES_START, withRulesTable } from '../../src/diagnostics/rules-table.ts';
import { noteFromText } from '../../src/markdown/parse.ts';
import { extractPlan } from '../../src/plan/extract.ts';
import { checkToc } from '../../src/toc/toc.ts';

const root = '/repo';
const entries = Object.entries(RULES) as [RuleId, (typeof RULES)[RuleId]][];
const note = (text: string) => noteFromText(`${root}/notes/x.md`, text, { root });

describe('rule registry', () => {
  it.each(entries.filter(([, r]) => r.stage === 'plan'))('plan rule %s: its example raises exactly it', (id, rule) => {
    const plan = extractPlan(note(rule.example), { root });
    expect(plan.diagnostics.map((d) => d.ruleId)).toEqual([id]);
  });

  it.each(entries.filter(([id, r]) => r.stage === 'toc' && !id.startsWith('index-')))('toc rule %s: its example raises it', (id, rule) => {
    const check = checkToc(note(rule.example));
    const ids = [...check.diagnostics, ...check.warnings].map((d) => d.ruleId);
    expect(ids).toContain(id);
  });

  it('every rule has a description and an example', () => {
    for (const [id, rule] of entries) {
      expect(rule.description.length, id).toBeGreaterThan(10);
      expect(rule.example.length, id).toBeGreaterThan(5);
    }
  });

  it('every registered rule is raised somewhere in src (no dead entries)', () => {
    const sources: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const file = path.join(dir, name);
        if (statSync(file).isDirectory()) walk(file);
        else if (file.endsWith('.ts') && !file.includes(`${path.sep}diagnostics${path.sep}`)) sources.push(readFileSync(file, 'utf8'));
      }
    };
    walk(path.resolve('src'));
    const all = sources.join('\n');
    const unused = entries
      .map(([id]) => id)
      .filter((id) => {
        if (all.includes(`'${id}'`) || all.includes(`[${id}]`)) return false;
        // toc/index marker rules are built as `${spec.rulePrefix}-marker-unclosed`.
        const suffix = id.replace(/^(toc|index)-/, '');
        return !(suffix !== id && all.includes(`}-${suffix}\``));
      });
    expect(unused).toEqual([]);
  });

  it(`README.md's table of rules is current (regenerate with \`npm run rules\`)`, () => {
    const readme = readFileSync(path.resolve('README.md'), 'utf8');
    expect(readme.includes(RULES_START) && readme.includes(RULES_END), `README.md needs ${RULES_START} … ${RULES_END}`).toBe(true);
    expect(withRulesTable(readme) === readme, 'the table of rules in README.md is stale: run `npm run rules`').toBe(true);
  });
});
