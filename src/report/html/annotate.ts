/**
 * Decorates a note's mdast for the report, before it becomes HTML:
 *
 * - a claim annotation is found by its id and line; an inline one (inside a
 *   paragraph) wraps the phrasing before it, back to the previous claim
 *   annotation, in `<mark class="claim">` and puts the claim's evidence after
 *   the paragraph; a block one wraps the previous sibling block in a
 *   `<div class="claim">` and is replaced by the evidence. This is the same
 *   text `plan/claim-text.ts` reads, so the highlight is what the claim says;
 * - every example fence is wrapped with its status and failure output;
 * - other HTML becomes visible, escaped text (comments are dropped): a note's
 *   raw HTML never reaches the page as markup;
 * - links are rewritten for the page (links.ts), images become links (the
 *   page loads nothing), headings get ids unique on the page.
 */
import type { BlockContent, Html, Nodes, Paragraph, Parent, PhrasingContent, Root, RootContent } from 'mdast';
import { parseAnnotation } from '../../plan/annotations.ts';
import { headingAnchors } from '../../markdown/slug.ts';
import type { ClaimReport, ExampleReport, Problem } from '../schema.ts';
import { claimBadge, claimEvidence, exampleDetails, exampleHead, hiddenCode, type EvidenceContext } from './evidence.ts';
import { rewriteUrl, type LinkContext } from './links.ts';
import { embed, wrap } from './nodes.ts';
import { h } from './hast.ts';

export interface DecorateContext extends LinkContext {
  prefix: string;
  claims: ClaimReport[];
  examples: ExampleReport[];
  /** The link check's problems by `line:column` of the link, to mark each broken link where it is. */
  brokenLinks?: Map<string, Problem>;
}

export function decorate(tree: Root, context: DecorateContext): void {
  const evidence: EvidenceContext = { prefix: context.prefix, checkCode: hiddenCheckCode(tree) };
  for (const anchor of headingAnchors(tree)) {
    anchor.node.data = { ...anchor.node.data, hProperties: { ...anchor.node.data?.hProperties, id: `${context.prefix}${anchor.slug}` } };
  }
  tree.children = tree.children.filter((node) => node.type !== 'yaml' && (node.type as string) !== 'toml');
  decorateBlocks(tree, context, evidence);
  cleanInline(tree, context);
}

/** Hidden check code by the line of its first code line (the line `EvidenceOutcome` gives for a check). */
function hiddenCheckCode(tree: Root): Map<number, string> {
  const code = new Map<number, string>();
  const visit = (node: Nodes) => {
    if (node.type === 'html') {
      const a = parseAnnotation(node.value)?.annotation;
      if (a?.body && (a.kind === 'claim' || a.kind === 'check') && node.position) code.set(node.position.start.line + a.bodyLineOffset, a.body);
    }
    if ('children' in node) for (const child of node.children) visit(child);
  };
  visit(tree);
  return code;
}

function findClaim(context: DecorateContext, node: Html): ClaimReport | undefined {
  const id = parseAnnotation(node.value)?.annotation?.argument;
  return context.claims.find((c) => c.id === id && c.line === node.position?.start.line);
}

function isClaimAnnotation(node: Nodes): node is Html {
  return node.type === 'html' && parseAnnotation(node.value)?.annotation?.kind === 'claim';
}

/** Block-level pass over a container (root, block quote, list item...). */
function decorateBlocks(parent: Parent, context: DecorateContext, evidence: EvidenceContext): void {
  const out: RootContent[] = [];
  for (const node of parent.children as RootContent[]) {
    if (node.type === 'html' && isClaimAnnotation(node)) {
      const claim = findClaim(context, node);
      if (claim) wrapPreviousBlock(out, claim, evidence, context.prefix);
      continue;
    }
    if (node.type === 'code') {
      const example = context.examples.find((e) => e.line === node.position?.start.line);
      const previous = out[out.length - 1];
      // An example's `output` blocks go inside its frame, above its failure output.
      if (!example && node.lang === 'output' && previous?.type === 'kbWrap' && previous.data.hProperties['dataExampleId']) {
        // Right after the example's code and any output block before it (hidden setup sits above the code).
        const lastCode = previous.children.findLastIndex((c) => c.type === 'code');
        previous.children.splice(lastCode + 1, 0, node);
        continue;
      }
      out.push(example ? exampleBlock(node, example, context.prefix) : node);
      continue;
    }
    if (node.type === 'paragraph') {
      out.push(node, ...decorateParagraph(node, context, evidence));
      continue;
    }
    if ('children' in node && node.type !== 'heading') decorateBlocks(node as Parent, context, evidence);
    out.push(node);
  }
  parent.children = out as Parent['children'];
}

/** A block claim: highlight the nearest previous block (skipping comments and evidence already placed). */
function wrapPreviousBlock(out: RootContent[], claim: ClaimReport, evidence: EvidenceContext, prefix: string): void {
  for (let j = out.length - 1; j >= 0; j--) {
    const node = out[j]!;
    if (node.type === 'html' || node.type === 'kbHast') continue;
    if (node.type === 'heading' || node.type === 'thematicBreak') break;
    out[j] = wrap('div', claimProperties(claim, ['claim-block'], prefix), [embed(claimBadge(claim)), node as BlockContent]);
    break;
  }
  out.push(embed(claimEvidence(claim, evidence)));
}

/** Inline claims of a paragraph; returns the evidence blocks to put after it (a `<details>` cannot sit in a `<p>`). */
function decorateParagraph(paragraph: Paragraph, context: DecorateContext, evidence: EvidenceContext): RootContent[] {
  const after: RootContent[] = [];
  const out: PhrasingContent[] = [];
  let start = 0;
  for (const child of paragraph.children) {
    if (isClaimAnnotation(child)) {
      const claim = findClaim(context, child);
      if (claim) {
        const text = out.splice(start);
        out.push(wrap('mark', claimProperties(claim, ['claim-inline'], context.prefix), [...text, embed(claimBadge(claim))]));
        after.push(embed(claimEvidence(claim, evidence)));
      }
      // Any claim annotation ends the text of the next one, as in plan/claim-text.ts.
      start = out.length;
      continue;
    }
    out.push(child);
  }
  paragraph.children = out;
  return after;
}

function claimProperties(claim: ClaimReport, extra: string[], prefix: string) {
  // The outline links failing claims by this id.
  return { className: ['claim', `claim-${claim.status}`, ...extra], dataStatus: claim.status, dataClaimId: claim.id, id: `${prefix}claim-${claim.id}` };
}

function exampleBlock(node: BlockContent, example: ExampleReport, prefix: string): BlockContent {
  const details = exampleDetails(example);
  const hidden = hiddenCode(example);
  return wrap(
    'div',
    { className: ['example', `status-${example.status}`], dataStatus: example.status, dataExampleId: example.id, id: `${prefix}${example.id}` },
    [embed(exampleHead(example)), ...(hidden ? [embed(hidden)] : []), node, ...(details ? [embed(details)] : [])],
  );
}

/** Containers whose children are blocks; inside any other parent, HTML is inline. */
const BLOCK_PARENTS = new Set(['root', 'blockquote', 'listItem', 'footnoteDefinition']);

/** Second pass, everywhere: leftover HTML, links, images. */
function cleanInline(parent: Parent, context: DecorateContext): void {
  const out: Nodes[] = [];
  const block = BLOCK_PARENTS.has(parent.type) || (parent.type === 'kbWrap' && parent.data?.hName === 'div');
  for (const node of parent.children as Nodes[]) {
    const replaced = cleanNode(node, context, block);
    if (!replaced) continue;
    if ('children' in replaced) cleanInline(replaced as Parent, context);
    out.push(replaced);
  }
  parent.children = out as Parent['children'];
}

/** Broken links already wrapped (the wrap's own child passes through `cleanNode` again). */
const marked = new WeakSet<Nodes>();

const PURE_COMMENT = /^<!--(?:(?!-->)[\s\S])*-->$/;

function cleanNode(node: Nodes, context: DecorateContext, block: boolean): Nodes | undefined {
  switch (node.type) {
    case 'html': {
      const raw = node.value.trim();
      if (PURE_COMMENT.test(raw)) return undefined;
      // Shown as code: the author sees what is there, the browser never parses it.
      return block
        ? { type: 'code', value: raw, lang: null, data: { hProperties: { className: ['raw-html'] } } }
        : { type: 'inlineCode', value: raw, data: { hProperties: { className: ['raw-html'] } } };
    }
    case 'link':
    case 'linkReference': {
      if (marked.has(node)) return node;
      if (node.type === 'link') node.url = rewriteUrl(node.url, context);
      const problem = node.position && context.brokenLinks?.get(`${node.position.start.line}:${node.position.start.column}`);
      if (!problem) return node;
      marked.add(node);
      // The link stays as written; a badge after it says why it is broken.
      return wrap('span', { className: ['broken-link'], title: problem.reason }, [node, embed(h('span', { className: ['badge', 'status-failed'] }, [`✗ ${problem.reason}`]))]);
    }
    case 'definition':
      node.url = rewriteUrl(node.url, context);
      return node;
    case 'image':
      // The page loads no resource; an image is a link to it.
      return { type: 'link', url: rewriteUrl(node.url, context), title: node.title, children: [{ type: 'text', value: `image: ${node.alt || node.url}` }] };
    case 'imageReference':
      return { type: 'linkReference', identifier: node.identifier, label: node.label, referenceType: node.referenceType, children: [{ type: 'text', value: `image: ${node.alt ?? node.identifier}` }] };
    default:
      return node;
  }
}
