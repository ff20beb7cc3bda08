/**
 * The page's inline CSS and script. The script is allowed by its hash in the
 * page's Content-Security-Policy, so nothing else can run, not even an inline
 * event handler that slipped past the sanitizer.
 */
import { createHash } from 'node:crypto';

export const CSS = `
:root { --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --bg: #fff; --code: #f6f8fa;
  --verified: #116329; --verified-bg: #dafbe1; --cited: #0550ae; --cited-bg: #ddf4ff;
  --failing: #a40e26; --failing-bg: #ffebe9; --noev: #7d4e00; --noev-bg: #fff8c5;
  --notrun: #59636e; --notrun-bg: #eff2f5; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); }
header.page, main, nav.index { max-width: 64rem; margin: 0 auto; padding: 1rem 1.5rem; }
h1, h2, h3 { line-height: 1.25; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.875em; }
pre { background: var(--code); padding: 0.75rem; overflow: auto; border-radius: 6px; }
:not(pre) > code { background: var(--code); padding: 0.1em 0.3em; border-radius: 4px; }
table { border-collapse: collapse; }
th, td { border: 1px solid var(--line); padding: 0.3rem 0.6rem; text-align: left; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.totals td { font-weight: 600; }
.result-failed { color: var(--failing); font-weight: 600; }
.result-passed { color: var(--verified); font-weight: 600; }
.legend { display: flex; flex-wrap: wrap; gap: 0.5rem; list-style: none; padding: 0; }
.badge { display: inline-block; font-size: 0.75rem; font-weight: 600; line-height: 1.4; padding: 0 0.4em; border-radius: 999px; border: 1px solid currentColor; white-space: nowrap; vertical-align: baseline; }
.claim .badge[data-claim-id] { cursor: pointer; margin-left: 0.3em; }
.status-verified, .status-passed { color: var(--verified); background: var(--verified-bg); }
.status-cited { color: var(--cited); background: var(--cited-bg); }
.status-failing, .status-failed { color: var(--failing); background: var(--failing-bg); }
.status-no-evidence { color: var(--noev); background: var(--noev-bg); }
.status-not-run, .status-skipped { color: var(--notrun); background: var(--notrun-bg); }
mark.claim { color: inherit; padding: 0.05em 0.15em; border-radius: 3px; border-bottom-width: 2px; border-bottom-style: solid; }
div.claim { border-left-width: 4px; border-left-style: solid; padding: 0.1rem 0 0.1rem 0.75rem; margin: 0.5rem 0; }
.claim-verified { background: var(--verified-bg); border-color: var(--verified); }
.claim-cited { background: var(--cited-bg); border-color: var(--cited); }
.claim-failing { background: var(--failing-bg); border-color: var(--failing); }
.claim-no-evidence { background: var(--noev-bg); border-color: var(--noev); border-bottom-style: dashed; }
.claim-not-run { background: var(--notrun-bg); border-color: var(--notrun); }
details.evidence, details.example-output { margin: 0.25rem 0 1rem; border: 1px solid var(--line); border-radius: 6px; padding: 0.25rem 0.75rem; color: var(--fg); background: var(--bg); }
details.evidence > summary, details.example-output > summary { cursor: pointer; font-size: 0.875rem; }
.evidence-list { padding-left: 1.25rem; font-size: 0.875rem; }
.evidence-item { background: none; color: var(--fg); margin: 0.25rem 0; }
pre.failure-output { background: var(--failing-bg); color: var(--fg); border-left: 4px solid var(--failing); white-space: pre-wrap; }
.hint { color: var(--muted); font-size: 0.875rem; }
div.example { border: 1px solid var(--line); border-radius: 6px; margin: 0.75rem 0; padding: 0.25rem 0.5rem; background: none; color: var(--fg); }
div.example.status-failed { border-color: var(--failing); }
.example-head { font-size: 0.8rem; color: var(--muted); }
code.raw-html { color: var(--muted); }
section.note { border-top: 3px solid var(--line); margin-top: 2rem; }
.note-meta { font-size: 0.875rem; color: var(--muted); }
.note-problems li { color: var(--failing); }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
`;

export const SCRIPT = `
(() => {
  const BADGE = '.claim .badge[data-claim-id]';
  const evidenceOf = (badge) => {
    const note = badge.closest('section.note');
    const id = badge.getAttribute('data-claim-id');
    if (!note) return null;
    return Array.from(note.querySelectorAll('details.evidence')).find((d) => d.getAttribute('data-claim-id') === id) || null;
  };
  for (const badge of document.querySelectorAll(BADGE)) {
    badge.setAttribute('role', 'button');
    badge.setAttribute('tabindex', '0');
    badge.setAttribute('aria-expanded', 'false');
  }
  const toggle = (badge) => {
    const details = evidenceOf(badge);
    if (!details) return;
    details.open = !details.open;
    badge.setAttribute('aria-expanded', String(details.open));
    if (details.open) details.scrollIntoView({ block: 'nearest' });
  };
  const setFailures = (open) => {
    const selector = 'details.evidence[data-status="failing"], details.evidence[data-status="no-evidence"], details.example-output.status-failed';
    for (const details of document.querySelectorAll(selector)) details.open = open;
  };
  document.addEventListener('click', (event) => {
    const target = event.target instanceof Element ? event.target : null;
    const badge = target && target.closest(BADGE);
    if (badge) toggle(badge);
    const action = target && target.closest('button[data-action]');
    if (action) setFailures(action.getAttribute('data-action') === 'expand-failures');
  });
  document.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter' && event.key !== ' ') return;
    const badge = event.target instanceof Element && event.target.closest(BADGE);
    if (!badge) return;
    event.preventDefault();
    toggle(badge);
  });
})();
`;

/** The page's Content-Security-Policy: its own style and script, nothing loaded from anywhere. */
export function contentSecurityPolicy(script: string): string {
  const hash = createHash('sha256').update(script, 'utf8').digest('base64');
  return [`default-src 'none'`, `style-src 'unsafe-inline'`, `script-src 'sha256-${hash}'`, `img-src 'none'`, `base-uri 'none'`, `form-action 'none'`].join('; ');
}
