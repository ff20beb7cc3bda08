/**
 * Offline link checking of one note: every local link, image, definition and
 * raw-HTML `href`/`src` must point at a file or folder inside the repository,
 * and its fragment at a heading or HTML anchor (Markdown, HTML) or at existing
 * lines (`#L10`, `#L10-L20`, other files). Web and other schemes are skipped.
 */
import path from 'node:path';
import type { VFileMessage } from 'vfile-message';
import { report, type RuleId } from '../diagnostics/index.ts';
import { toRelPath, type Note } from '../markdown/parse.ts';
import { slug } from '../markdown/slug.ts';
import type { VFile } from 'vfile';
import type { LinkOccurrence } from './collect.ts';
import type { EntryKind, LinkIndex } from './link-index.ts';
import { checkReferences } from './references.ts';
import { closestAnchor, closestPath } from './suggest.ts';
import type { NoteSummary } from './summary.ts';
import { isHtmlPath, isMarkdownPath, isPlainView, parseLineFragment, parseLinkUrl } from './url.ts';

interface Context {
  file: VFile;
  /** Absolute path of the note being checked. */
  notePath: string;
  index: LinkIndex;
  messages: VFileMessage[];
}

/**
 * Check the local links of a note. Messages are recorded on `note.file` (as
 * with every check) and returned. The note is registered in the index, so
 * its own anchors come from this parse.
 */
export function checkLinks(note: Note, index: LinkIndex): VFileMessage[] {
  index.register(note);
  return checkSummary(note.file, index.summary(note.path), index);
}

/** The same checks on a note's summary; messages are recorded on `file`. */
export function checkSummary(file: VFile, summary: NoteSummary, index: LinkIndex): VFileMessage[] {
  const context: Context = { file, notePath: summary.path, index, messages: [] };
  for (const problem of summary.parseProblems) context.messages.push(report(file, problem.reason, problem, problem.ruleId));
  for (const link of summary.links) checkLink(context, link);
  context.messages.push(...checkReferences(file, summary, index));
  return context.messages;
}

function fail(context: Context, link: LinkOccurrence, reason: string, ruleId: RuleId): void {
  context.messages.push(report(context.file, reason, { line: link.line, column: link.column }, ruleId));
}

function checkLink(context: Context, link: LinkOccurrence): void {
  const url = parseLinkUrl(link.url);
  if (url.kind === 'fragment') {
    checkFragment(context, link, context.notePath, url.fragment, url.rawFragment, undefined);
    return;
  }
  if (url.kind === 'other-scheme' && url.scheme === 'file') {
    fail(context, link, `Link \`${link.url}\` points at the local disk, not into the repository`, 'link-leaves-repository');
    return;
  }
  if (url.kind !== 'path') return;
  const { root } = context.index;
  let written =
    url.path === '' ? context.notePath : path.resolve(url.rootRelative ? context.index.siteRoot : path.dirname(context.notePath), url.rootRelative ? `.${url.path}` : url.path);
  const html = link.kind === 'html';
  /** The folder the link is read from, for suggestions. */
  let base = path.dirname(context.notePath);
  if (context.index.site && url.path !== '' && !url.rootRelative && !isMarkdownPath(url.path) && (html || context.index.entry(written) !== 'file')) {
    // mkdocs rewrites a Markdown link only when it names a file, and raw HTML never; any other link
    // (`../install/`, `<img src>`) is left to the browser, which reads it from the page's URL:
    // `guide/setup.md` is served at `guide/setup/`.
    const fromPage = path.resolve(pageUrlFolder(context.notePath), url.path);
    // When neither resolves, a Markdown link with a file extension (`../img/a.png`) was meant as a file: report it as written.
    const fileLike = !html && !url.rawPath.endsWith('/') && path.extname(url.path) !== '';
    if (!fileLike || siteTarget(context.index, fromPage, url.rawPath) !== undefined) {
      written = fromPage;
      base = pageUrlFolder(context.notePath);
    }
  }
  const rel = path.relative(root, written);
  if (rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) {
    fail(context, link, `Link \`${link.url}\` leaves the repository (it resolves outside the root)`, 'link-leaves-repository');
    return;
  }
  const found = siteTarget(context.index, written, url.rawPath);
  if (found === undefined) {
    if (context.index.entry(written) === 'dir') {
      fail(context, link, `No page at \`${url.rawPath}\`: folder ${displayPath(context, written)} has no index.md, and the site serves a folder by its index.md`, 'missing-file');
    } else {
      missingPath(context, link, written, url.rawPath, url.rootRelative, base);
    }
    return;
  }
  const { abs, kind } = found;
  if (link.kind === 'image' || url.fragment === undefined || url.fragment === '' || url.rawFragment === undefined) return;
  let target = abs;
  if (kind === 'dir') {
    const readme = findReadme(context.index, abs);
    if (readme === undefined) {
      fail(context, link, `No heading \`#${url.rawFragment}\`: folder ${displayPath(context, abs)} has no README to hold it`, 'missing-heading');
      return;
    }
    target = readme;
  }
  checkFragment(context, link, target, url.fragment, url.rawFragment, url.query);
}

/**
 * The file or folder a link reaches. With a `siteRoot` configured the notes are
 * read as mkdocs serves them (directory URLs): `install/` is the page of
 * `install.md` or `install/index.md`, and a folder's page is its `index.md`.
 */
function siteTarget(index: LinkIndex, abs: string, rawPath: string): { abs: string; kind: EntryKind } | undefined {
  const kind = index.entry(abs);
  if (!index.site) return kind === undefined ? undefined : { abs, kind };
  if (kind === 'file') return { abs, kind };
  if (kind === 'dir') {
    const page = [path.join(abs, 'index.md'), path.join(abs, 'README.md')].find((candidate) => index.entry(candidate) === 'file');
    if (page !== undefined) return { abs: page, kind: 'file' };
    // A folder of the site without an index page is a 404 there; one outside it (source code) is a folder.
    return isInside(index.siteRoot, abs) ? undefined : { abs, kind };
  }
  const bare = abs.replace(/[\\/]+$/, '');
  const last = path.basename(bare);
  if (last.includes('.') && !rawPath.endsWith('/')) return undefined;
  for (const candidate of [`${bare}.md`, path.join(bare, 'index.md'), path.join(bare, 'README.md')]) {
    if (index.entry(candidate) === 'file') return { abs: candidate, kind: 'file' };
  }
  return undefined;
}

function isInside(folder: string, abs: string): boolean {
  const rel = path.relative(folder, abs);
  return rel === '' || (!rel.startsWith(`..${path.sep}`) && rel !== '..' && !path.isAbsolute(rel));
}

/** Python-Markdown's default `toc` slug: punctuation dropped, runs of spaces and hyphens made one hyphen. */
function pythonMarkdownSlug(text: string): string {
  return text.normalize('NFKD').replace(/[^\p{L}\p{N}_\s-]/gu, '').trim().toLowerCase().replace(/[-\s]+/g, '-');
}

/** The folder of the URL a site serves a note at: `a/b.md` → `a/b/`, `a/index.md` → `a/`. */
function pageUrlFolder(notePath: string): string {
  const name = path.basename(notePath);
  if (/^(?:index|readme)\.md$/i.test(name)) return path.dirname(notePath);
  return notePath.replace(/\.(?:md|markdown)$/i, '');
}

function displayPath(context: Context, abs: string): string {
  return toRelPath(context.index.root, abs) || '.';
}

/** The path to write instead, relative to the note (or to the root for `/…` links). */
function linkPath(context: Context, existingRel: string, rootRelative: boolean, base: string): string {
  if (rootRelative) return `/${toRelPath(context.index.siteRoot, path.join(context.index.root, existingRel))}`;
  const abs = path.join(context.index.root, existingRel);
  return toRelPath(base, abs);
}

function missingPath(context: Context, link: LinkOccurrence, abs: string, rawPath: string, rootRelative: boolean, base: string): void {
  const rel = toRelPath(context.index.root, abs);
  const caseMatch = context.index.caseInsensitiveMatch(abs);
  if (caseMatch !== undefined) {
    fail(
      context,
      link,
      `No file \`${rawPath}\` (${rel}): on disk it is \`${linkPath(context, caseMatch, rootRelative, base)}\`; paths are case-sensitive on GitHub and Linux`,
      'file-case-mismatch',
    );
    return;
  }
  const suggestion = closestPath(rel, context.index.paths());
  const hint = suggestion === undefined ? '' : `; did you mean \`${linkPath(context, suggestion, rootRelative, base)}\`?`;
  const what = rawPath.endsWith('/') ? 'folder' : 'file';
  fail(context, link, `No ${what} \`${rawPath}\` (${rel})${hint}`, 'missing-file');
}

const README = /^readme\.(?:md|markdown|mdown|mkdn)$/i;

function findReadme(index: LinkIndex, dir: string): string | undefined {
  const children = index.children(dir);
  if (!children) return undefined;
  const names = [...children].filter(([name, kind]) => kind === 'file' && README.test(name)).map(([name]) => name);
  return names.length === 0 ? undefined : path.join(dir, names.sort()[0]!);
}

function checkFragment(
  context: Context,
  link: LinkOccurrence,
  target: string,
  fragment: string,
  rawFragment: string,
  query: string | undefined,
): void {
  if (fragment === '') return;
  const markdown = isMarkdownPath(target);
  if (!markdown || isPlainView(query)) {
    const lines = parseLineFragment(fragment);
    if (lines) {
      checkLines(context, link, target, rawFragment, lines.start, lines.end);
      return;
    }
    // `file.pdf#page=2`, `data.csv#row=4`: not ours to judge.
    if (!markdown && !isHtmlPath(target)) return;
  }
  const anchors = context.index.anchors(target);
  const wanted = fragment.startsWith('user-content-') ? fragment.slice('user-content-'.length) : fragment;
  if (anchors.bySlug.has(wanted)) return;
  // Sites built by mkdocs slug headings as Python-Markdown does (`SQL - The Language` → `sql-the-language`).
  // A heading with a custom `{ #id }` (its anchor is not its text's slug) has only that id.
  if (context.index.site && anchors.list.some((anchor) => {
    if (!anchor.display.startsWith('#')) return false;
    const text = anchor.display.replace(/^#+ /, '');
    return slug(text) === anchor.slug && pythonMarkdownSlug(text) === wanted;
  })) return;
  const where = target === context.notePath ? `${displayPath(context, target)} (this note)` : displayPath(context, target);
  const other = anchors.byLowerSlug.get(wanted.toLowerCase());
  if (other) {
    fail(
      context,
      link,
      `Fragment \`#${rawFragment}\` matches \`#${other.slug}\` in ${where} only when case is ignored; write \`#${other.slug}\` (line ${other.line}, \`${other.display}\`): GitHub's page script forgives the case, other renderers do not`,
      'heading-case-mismatch',
    );
    return;
  }
  // The HTML spec scrolls `#top` to the top of the page when no element has that id.
  if (wanted.toLowerCase() === 'top') return;
  const suggestion = closestAnchor(wanted, anchors.list);
  let reason = `No heading \`#${rawFragment}\` in ${where}`;
  if (suggestion) reason += `; did you mean \`#${suggestion.slug}\` (line ${suggestion.line}, \`${suggestion.display}\`)?`;
  else if (markdown && parseLineFragment(fragment)) reason += '; line anchors on a Markdown file work only in its source view (`?plain=1#L10`)';
  fail(context, link, reason, 'missing-heading');
}

function checkLines(
  context: Context,
  link: LinkOccurrence,
  target: string,
  rawFragment: string,
  start: number,
  end: number | undefined,
): void {
  const { lineCount } = context.index.anchors(target);
  const where = displayPath(context, target);
  const size = `${lineCount} line${lineCount === 1 ? '' : 's'}`;
  if (start < 1 || (end !== undefined && end < 1)) {
    fail(context, link, `Line anchor \`#${rawFragment}\`: lines are numbered from 1 (${where} has ${size})`, 'line-out-of-range');
    return;
  }
  if (end !== undefined && end < start) {
    fail(context, link, `Line range \`#${rawFragment}\` ends before it starts; write \`#L${end}-L${start}\``, 'line-range-reversed');
    return;
  }
  const last = end ?? start;
  if (last > lineCount) {
    fail(context, link, `Line anchor \`#${rawFragment}\` points past the end of ${where} (${size})`, 'line-out-of-range');
  }
}
