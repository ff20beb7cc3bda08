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
  --notrun: #59636e; --notrun-bg: #eff2f5; --toolbar-h: 2.75rem; }
* { box-sizing: border-box; }
html { scroll-padding-top: calc(var(--toolbar-h) + 0.5rem); }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); }
p, li, td, th, summary, h1, h2, h3, h4, h5, h6 { overflow-wrap: anywhere; }
header.page { max-width: 84rem; margin: 0 auto; padding: 0.5rem 1.5rem 0; }
header.page h1 { margin: 0.5rem 0; }
.layout { display: grid; grid-template-columns: 16rem minmax(0, 1fr); gap: 2rem; max-width: 84rem; margin: 0 auto; padding: 0 1.5rem 2rem; }
.content { min-width: 0; }
h1, h2, h3 { line-height: 1.25; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.875em; }
pre { background: var(--code); padding: 0.75rem; overflow: auto; border-radius: 6px; max-width: 100%; }
:not(pre) > code { background: var(--code); padding: 0.1em 0.3em; border-radius: 4px; overflow-wrap: anywhere; }
/* Tables scroll inside their own box, never the page. */
table { border-collapse: collapse; display: block; max-width: 100%; overflow-x: auto; }
.table-scroll { max-width: 100%; overflow-x: auto; margin: 1rem 0; }
.table-scroll > table { display: table; max-width: none; }
th, td { border: 1px solid var(--line); padding: 0.3rem 0.6rem; text-align: left; vertical-align: top; }
table.index { font-size: 0.875rem; }
table.index th, table.index td { padding: 0.25rem 0.45rem; overflow-wrap: normal; }
table.index td { white-space: nowrap; }
table.index td:first-child { white-space: normal; min-width: 9rem; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num.bad { color: var(--failing); font-weight: 700; background: var(--failing-bg); }
tr.failed td:first-child { border-left: 4px solid var(--failing); }
tr.totals td { font-weight: 600; }
.result-failed { color: var(--failing); font-weight: 600; }
.result-passed { color: var(--verified); font-weight: 600; }
.legend { display: flex; flex-wrap: wrap; gap: 0.5rem; list-style: none; padding: 0; }
.toolbar:not([hidden]) { position: sticky; top: 0; z-index: 2; display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem 1rem; min-height: var(--toolbar-h); padding: 0.4rem 1.5rem; background: var(--bg); border-bottom: 1px solid var(--line); font-size: 0.875rem; }
.toolbar .to-outline { display: none; margin-left: auto; }
nav.outline { position: sticky; top: calc(var(--toolbar-h) + 0.5rem); align-self: start; max-height: calc(100vh - var(--toolbar-h) - 1rem); overflow: auto; font-size: 0.875rem; padding: 1rem 0.25rem 1rem 0; }
nav.outline ul { list-style: none; margin: 0; padding: 0; }
nav.outline .outline-title { font-weight: 600; margin: 0 0 0.5rem; }
nav.outline li.outline-note { margin: 0.25rem 0; }
nav.outline li.outline-note > a { display: block; text-decoration: none; color: var(--fg); }
nav.outline li.failed > a { color: var(--failing); font-weight: 600; }
nav.outline li.passed .mark { color: var(--verified); }
nav.outline .outline-failures { padding-left: 1.1rem; }
nav.outline .outline-failures a { color: var(--failing); text-decoration: none; display: block; }
nav.outline .line { display: inline-block; min-width: 2.5em; color: var(--muted); font-variant-numeric: tabular-nums; }
@media (max-width: 56rem) {
  .layout { grid-template-columns: minmax(0, 1fr); gap: 0; padding: 0 0.75rem 2rem; }
  nav.outline { position: static; max-height: 40vh; border-bottom: 1px solid var(--line); }
  .toolbar:not([hidden]) { padding: 0.4rem 0.75rem; }
  header.page { padding: 0.5rem 0.75rem 0; }
  .toolbar .to-outline { display: inline; }
}
body.failures-only section.note:not([data-failed]),
body.failures-only nav.outline li.outline-note:not([data-failed]),
body.failures-only table.index tbody tr:not([data-failed]),
body.failures-only div.example:not([data-status="failed"]) { display: none; }
.badge { display: inline-block; font-size: 0.75rem; font-weight: 600; line-height: 1.4; padding: 0 0.4em; border-radius: 999px; border: 1px solid currentColor; white-space: nowrap; vertical-align: baseline; }
.claim .badge[data-claim-id] { cursor: pointer; margin-left: 0.3em; }
.status-verified, .status-passed { color: var(--verified); background: var(--verified-bg); }
.status-cited { color: var(--cited); background: var(--cited-bg); }
.status-failing, .status-failed { color: var(--failing); background: var(--failing-bg); }
.status-no-evidence, .status-weak { color: var(--noev); background: var(--noev-bg); }
.status-not-run, .status-skipped { color: var(--notrun); background: var(--notrun-bg); }
mark.claim { color: inherit; padding: 0.05em 0.15em; border-radius: 3px; border-bottom-width: 2px; border-bottom-style: solid; }
div.claim { border-left-width: 4px; border-left-style: solid; padding: 0.1rem 0 0.1rem 0.75rem; margin: 0.5rem 0; }
.claim-verified { background: var(--verified-bg); border-color: var(--verified); }
.claim-cited { background: var(--cited-bg); border-color: var(--cited); }
.claim-failing { background: var(--failing-bg); border-color: var(--failing); }
.claim-no-evidence { background: var(--noev-bg); border-color: var(--noev); border-bottom-style: dashed; }
.claim-weak { background: var(--noev-bg); border-color: var(--noev); border-bottom-style: dotted; }
.claim-not-run { background: var(--notrun-bg); border-color: var(--notrun); }
details.evidence, details.example-output, details.failure-lines { margin: 0.25rem 0 1rem; border: 1px solid var(--line); border-radius: 6px; padding: 0.25rem 0.75rem; color: var(--fg); background: var(--bg); }
details.evidence > summary, details.example-output > summary, details.hidden-setup > summary, details.failure-lines > summary { cursor: pointer; font-size: 0.875rem; }
details.hidden-setup { margin: 0.25rem 0; color: var(--muted); }
details.hidden-setup pre { margin: 0.25rem 0; }
.evidence-list { padding-left: 1.25rem; font-size: 0.875rem; }
.evidence-item { background: none; color: var(--fg); margin: 0.25rem 0; }
pre.failure-output { background: var(--failing-bg); color: var(--fg); border-left: 4px solid var(--failing); white-space: pre-wrap; overflow-wrap: anywhere; }
.hint { color: var(--muted); font-size: 0.875rem; }
div.example { border: 1px solid var(--line); border-radius: 6px; margin: 0.75rem 0; padding: 0.25rem 0.5rem; background: none; color: var(--fg); }
div.example.status-failed { border-color: var(--failing); border-left-width: 4px; }
.example-head { display: flex; flex-wrap: wrap; align-items: baseline; gap: 0 0.25rem; font-size: 0.8rem; color: var(--muted); }
.example-head .condition code { font-size: 0.95em; }
.example-head button.copy { margin-left: auto; font-size: 0.75rem; }
p.why { margin: 0.25rem 0; }
code.raw-html { color: var(--muted); }
.broken-link > a { color: var(--failing); text-decoration: wavy underline; }
.broken-link > .badge { margin-left: 0.3em; white-space: normal; }
section.note { border-top: 3px solid var(--line); margin-top: 2rem; }
section.note.failed { border-top-color: var(--failing); }
.note-meta { font-size: 0.875rem; color: var(--muted); }
.note-problems { padding-left: 1.25rem; }
.note-problems li { color: var(--failing); }
.note-problems .rule { color: var(--muted); }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
`;

export const SCRIPT = `
(() => {
  // Controls that only work with this script are rendered hidden; reveal them now.
  for (const control of document.querySelectorAll('[data-needs-script]')) control.hidden = false;
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
  // A copy button on each example, for its visible code (not the hidden setup, not the expected output).
  for (const example of document.querySelectorAll('div.example')) {
    const code = example.querySelector(':scope > pre > code');
    const head = example.querySelector(':scope > .example-head');
    if (!code || !head) continue;
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'copy';
    button.textContent = 'Copy';
    button.setAttribute('aria-label', 'Copy the code of this example');
    button.addEventListener('click', () => {
      const done = (text) => { button.textContent = text; setTimeout(() => { button.textContent = 'Copy'; }, 1500); };
      navigator.clipboard.writeText(code.textContent).then(() => done('Copied'), () => done('Copy failed'));
    });
    head.append(button);
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
  const filter = document.getElementById('failures-only');
  if (filter) filter.addEventListener('change', () => document.body.classList.toggle('failures-only', filter.checked));
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
