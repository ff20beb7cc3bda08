/**
 * Syntax highlighting at build time (no highlighter runs in the browser):
 * starry-night (GitHub's TextMate grammars, the oniguruma engine as wasm)
 * turns the code of Python, pycon, shell, JavaScript and TypeScript blocks
 * into `<span class="pl-…">` tokens, coloured by starry-night's own light
 * theme inlined in the page. Chosen over Shiki for its pycon grammar and its
 * class-based output, which the sanitizer keeps without allowing `style`
 * (README "Speed" has the measured cost).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Element, Root } from 'hast';
import { visit } from 'unist-util-visit';

/** Fence language → TextMate scope; only these are highlighted (data blocks such as `output` stay plain). */
const SCOPES: Record<string, string> = {
  python: 'source.python',
  py: 'source.python',
  python3: 'source.python',
  pycon: 'text.python.console',
  sh: 'source.shell',
  bash: 'source.shell',
  shell: 'source.shell',
  zsh: 'source.shell',
  js: 'source.js',
  javascript: 'source.js',
  mjs: 'source.js',
  ts: 'source.ts',
  typescript: 'source.ts',
};

export type Highlight = (tree: Root | Element) => void;

type StarryNight = Awaited<ReturnType<typeof import('@wooorm/starry-night').createStarryNight>>;

/** A highlighter for the languages given (fence info strings); grammars for others are never loaded. */
export async function createHighlight(langs: Iterable<string>): Promise<Highlight> {
  const scopes = [...new Set([...langs].map((l) => SCOPES[l.toLowerCase()]).filter((s): s is string => s !== undefined))];
  if (scopes.length === 0) return () => {};
  const { createStarryNight } = await import('@wooorm/starry-night');
  // text.python.console embeds source.python; grammars are default exports of `@wooorm/starry-night/<scope>`.
  const needed = new Set(scopes.flatMap((s) => (s === 'text.python.console' ? [s, 'source.python'] : [s])));
  const grammars = await Promise.all([...needed].map((scope) => import(`@wooorm/starry-night/${scope}`).then((m: { default: Parameters<typeof createStarryNight>[0][number] }) => m.default)));
  const starryNight = await createStarryNight(grammars);
  return (tree) => highlightTree(tree, starryNight);
}

function highlightTree(tree: Root | Element, starryNight: StarryNight): void {
  visit(tree, 'element', (node: Element, _index, parent) => {
    if (node.tagName !== 'code' || !parent || (parent as Element).tagName !== 'pre') return;
    const classes = Array.isArray(node.properties['className']) ? (node.properties['className'] as string[]) : [];
    const lang = classes.find((c) => c.startsWith('language-'))?.slice('language-'.length).toLowerCase();
    const scope = lang ? SCOPES[lang] : undefined;
    if (!scope) return;
    const text = node.children.map((c) => (c.type === 'text' ? c.value : '')).join('');
    if (node.children.some((c) => c.type !== 'text')) return;
    node.children = starryNight.highlight(text, scope).children as Element['children'];
    return 'skip';
  });
}

/** starry-night's light theme (GitHub's colours for its `pl-*` classes). */
export function highlightCss(): string {
  const require = createRequire(import.meta.url);
  return readFileSync(require.resolve('@wooorm/starry-night/style/light'), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').trim();
}
