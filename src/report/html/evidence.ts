/**
 * The hast shown next to a claim or an example: its status badge and a
 * `<details>` with the evidence and any failure output. Built as a tree from
 * report data, so messages and code are text nodes (escaped when serialised).
 */
import type { Element } from 'hast';
import type { ClaimReport, Evidence, ExampleReport } from '../schema.ts';
import { h, type Child } from './hast.ts';
import { CLAIM_LOOK, TEST_LOOK, badgeText, type StatusLook } from './status.ts';

export interface EvidenceContext {
  /** Id prefix of the note on the page (`n3-`), for links to its examples. */
  prefix: string;
  /** Code of hidden checks by the note line of their first code line. */
  checkCode: Map<number, string>;
}

export function badge(look: StatusLook, status: string, extra: Record<string, string> = {}): Element {
  return h('span', { className: ['badge', `status-${status}`], ...extra }, [badgeText(look)]);
}

/** The badge inside a claim's highlight; the page script makes it open the claim's evidence. */
export function claimBadge(claim: ClaimReport): Element {
  return badge(CLAIM_LOOK[claim.status], claim.status, { dataClaimId: claim.id, title: 'Show the evidence' });
}

export function claimEvidence(claim: ClaimReport, context: EvidenceContext): Element {
  const look = CLAIM_LOOK[claim.status];
  const items = claim.evidence.map((e) => evidenceItem(e, context));
  // The test's own message matters when no evidence message explains the failure (no evidence, --strict).
  const explained = claim.evidence.some((e) => e.message && e.status === 'failed');
  const testMessage = claim.test === 'failed' && claim.message && !explained ? failureOutput(claim.message) : null;
  return h('details', { className: ['evidence', `status-${claim.status}`], dataClaimId: claim.id, dataStatus: claim.status }, [
    h('summary', {}, [badge(look, claim.status), ' Evidence for claim ', h('code', {}, [claim.id]), ` (line ${claim.line})`]),
    items.length > 0 ? h('ul', { className: ['evidence-list'] }, items) : testMessage ? null : h('p', { className: ['hint'] }, [noEvidenceHint(claim)]),
    testMessage,
  ]);
}

function noEvidenceHint(claim: ClaimReport): string {
  if (claim.status === 'not-run') return 'This claim was not checked in this run.';
  return `No evidence: add a hidden check inside the annotation, name the claim from an example (claim=${claim.id}), or cite a source (cite=URL).`;
}

function evidenceItem(e: Evidence, context: EvidenceContext): Element {
  const look = e.status === 'cited' ? CLAIM_LOOK.cited : TEST_LOOK[e.status];
  const children: Child[] = [badge(look, e.status), ' '];
  if (e.kind === 'cite') {
    children.push('cited: ', e.url ? h('a', { href: e.url, rel: ['noopener', 'noreferrer'] }, [e.url]) : 'no URL');
  } else if (e.kind === 'example') {
    children.push(h('a', { href: `#${context.prefix}example-${e.line}` }, [`example at line ${e.line}`]));
  } else {
    children.push(`hidden check at line ${e.line}`);
    const code = context.checkCode.get(e.line);
    if (code) children.push(h('pre', { className: ['check-code'] }, [h('code', { className: ['language-python'] }, [code])]));
  }
  if (e.weak) children.push(h('p', { className: ['hint', 'weak-reason'] }, [`Weak: ${e.weak} [claim-weak-evidence]`]));
  if (e.message) children.push(e.status === 'failed' ? failureOutput(e.message) : h('p', { className: ['hint'] }, [e.message]));
  return h('li', { className: ['evidence-item', `status-${e.status}`], dataKind: e.kind, dataStatus: e.status }, children);
}

export function failureOutput(message: string): Element {
  return h('pre', { className: ['failure-output'] }, [stripAnsi(message)]);
}

/** The line above an example's code: status, language, name, and what decides whether and how it runs. */
export function exampleHead(example: ExampleReport): Element {
  const conditions: Child[] = [];
  if (example.requires?.length) conditions.push(h('span', { className: ['condition'] }, ['requires ', h('code', {}, [example.requires.join(', ')])]));
  if (example.session) conditions.push(h('span', { className: ['condition'] }, ['session ', h('code', {}, [example.session])]));
  if (example.skip !== undefined) conditions.push(h('span', { className: ['condition'] }, [example.skip === true ? 'skip' : `skip: ${example.skip}`]));
  return h('div', { className: ['example-head'] }, [
    badge(TEST_LOOK[example.status], example.status),
    ' ',
    h('span', { className: ['lang'] }, [example.lang || 'text']),
    ` · ${example.name}`,
    ...conditions.flatMap((c) => [' · ', c]),
  ]);
}

/** What runs before (and after) the example but is not shown in the note: collapsed, with its lines. */
export function hiddenCode(example: ExampleReport): Element | null {
  const parts = [
    ...(example.setup ?? []).map((block) => ({ kind: 'setup', block })),
    ...(example.teardown ?? []).map((block) => ({ kind: 'teardown', block })),
  ];
  if (parts.length === 0) return null;
  const lang = example.lang === 'pycon' ? 'python' : example.lang;
  const lines = parts.map((p) => p.block.line).join(', ');
  return h('details', { className: ['hidden-setup'] }, [
    h('summary', {}, [`Hidden ${example.setup?.length ? 'setup' : 'teardown'}${example.setup?.length && example.teardown?.length ? ' and teardown' : ''} (line${parts.length > 1 ? 's' : ''} ${lines})`]),
    ...parts.flatMap((p) => [
      h('p', { className: ['hint'] }, [`${p.kind === 'setup' ? 'Runs before' : 'Runs after'} the example, from ${p.block.file ? `\`${p.block.file}\`` : `line ${p.block.line}`}:`]),
      h('pre', {}, [h('code', { className: [`language-${lang}`] }, [p.block.code])]),
    ]),
  ]);
}

/** Below an example: why it failed (collapsed output), or why it was skipped or not run (in plain sight). */
export function exampleDetails(example: ExampleReport): Element | null {
  if (!example.message) return null;
  if (example.status !== 'failed') return h('p', { className: ['hint', 'why'] }, [`${TEST_LOOK[example.status].label}: `, example.message.replace(/^skipped: /, '')]);
  return h('details', { className: ['example-output', `status-${example.status}`] }, [h('summary', {}, ['Failure output']), failureOutput(example.message)]);
}

function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*m/g, '');
}
