/**
 * Hidden `setup`/`teardown` code applies to every example and claim of its
 * section, subsections included, that runs in the same language as the code.
 * The code says no language of its own: it is the language of the first
 * example it applies to (a Python setup above a Python example, a JavaScript
 * one above a JavaScript example), so a Python setup is never prepended to a
 * shell or TypeScript example of the same section. Claims' checks are Python.
 */
import type { ClaimPlan, ExamplePlan, RunnerName } from './types.ts';
import type { ScopedCode, Walk } from './walk-state.ts';

/** Runners that share one language: pycon sessions are Python, a TypeScript example can run JavaScript setup. */
const FAMILY: Record<RunnerName, string> = { python: 'python', pycon: 'python', js: 'js', ts: 'js', sh: 'shell', console: 'shell' };

function familyOf(target: ExamplePlan | ClaimPlan): string | undefined {
  if (target.kind === 'claim') return 'python';
  return target.runner ? FAMILY[target.runner] : undefined;
}

export function applySetupScopes(walk: Walk): void {
  const targets = [...walk.ancestry].sort(([a], [b]) => a.line - b.line);
  const applies = (s: ScopedCode, ancestry: number[]) => s.section === -1 || ancestry.includes(s.section);
  // The language of each setup: that of the first example after it, in its scope, that runs.
  const language = new Map<ScopedCode, string>();
  for (const s of walk.scoped) {
    const first = targets.find(([target, ancestry]) => target.kind === 'example' && target.line > s.firstLine && familyOf(target) && applies(s, ancestry));
    // With no example after it, it is for the claims' checks: Python.
    language.set(s, (first && familyOf(first[0])) ?? 'python');
  }
  for (const [target, ancestry] of walk.ancestry) {
    const family = familyOf(target);
    const mine = (s: ScopedCode) => applies(s, ancestry) && language.get(s) === family;
    target.setup = walk.scoped.filter((s) => s.kind === 'setup' && mine(s)).map(({ code, firstLine }) => ({ code, firstLine }));
    target.teardown = walk.scoped.filter((s) => s.kind === 'teardown' && mine(s)).map(({ code, firstLine }) => ({ code, firstLine }));
  }
}
