/** Hidden `setup`/`teardown` code applies to every example and claim of its section, subsections included. */
import type { ScopedCode, Walk } from './walk-state.ts';

export function applySetupScopes(walk: Walk): void {
  for (const [target, ancestry] of walk.ancestry) {
    const applies = (s: ScopedCode) => s.section === -1 || ancestry.includes(s.section);
    target.setup = walk.scoped.filter((s) => s.kind === 'setup' && applies(s)).map(({ code, firstLine }) => ({ code, firstLine }));
    target.teardown = walk.scoped.filter((s) => s.kind === 'teardown' && applies(s)).map(({ code, firstLine }) => ({ code, firstLine }));
  }
}
