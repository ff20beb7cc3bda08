/**
 * The one registry of diagnostic rules. Every diagnostic the tool raises names
 * one of these ids (`report`/`warn` in ./index.ts only accept a `RuleId`, so an
 * unregistered id is a type error). The README's rule table is generated from
 * this list (`npm run rules`), and test/diagnostics/rules.test.ts checks that
 * each plan-stage rule's example raises exactly that rule.
 *
 * `example` is a minimal Markdown note (or, for rules about files, a
 * description of the situation) that triggers the rule.
 */

export type Severity = 'error' | 'warning';

/**
 * When the rule is checked:
 *   plan      while a note is read (no code runs); every example here is tested
 *   run       while a note's examples run (include files are read then)
 *   toc       tables of contents and the notes index (`kb toc --check`)
 *   links     offline link checking
 *   external  web link checking (`kb links --external`)
 *   config    the configuration (plugin options, kb.config.*, package.json "kb", KB_* variables)
 */
export type Stage = 'plan' | 'run' | 'toc' | 'links' | 'external' | 'config';

export interface RuleSpec {
  severity: Severity;
  stage: Stage;
  /** One line: what is wrong. */
  description: string;
  /** A minimal note that triggers the rule. */
  example: string;
}

const fence = '```';
const md = (...lines: string[]): string => lines.join('\n') + '\n';

export const RULES = {
  // ---- config -------------------------------------------------------------
  'config-unknown-key': {
    severity: 'error', stage: 'config',
    description: 'the configuration has a key kb-doctest does not know (a typo is never ignored)',
    example: 'kb.config.json: { "nots": ["docs/**/*.md"] }',
  },
  'config-invalid-value': {
    severity: 'error', stage: 'config',
    description: 'a configuration value has the wrong type or cannot be read (a size, a mode, a glob, a file)',
    example: 'kb.config.json: { "limits": { "memory": "lots" } }',
  },

  // ---- plan: front matter -------------------------------------------------
  'front-matter-yaml': {
    severity: 'error', stage: 'plan',
    description: 'the front matter is not valid YAML',
    example: md('---', 'hashseed: [1', '---', '', '# Note'),
  },
  'front-matter-value': {
    severity: 'error', stage: 'plan',
    description: 'a front matter setting has a value it cannot take (`hashseed` must be a non-negative integer or `random`, `kb.timeout` a positive number, ...)',
    example: md('---', 'hashseed: -1', '---', '', '# Note'),
  },

  'front-matter-unknown-key': {
    severity: 'error', stage: 'plan',
    description: 'a key under `kb:` in front matter that kb-doctest does not know (with "did you mean")',
    example: md('---', 'kb:', '  timout: 30', '---', '', '# Note'),
  },

  // ---- plan: fences -------------------------------------------------------
  'unterminated-fence': {
    severity: 'error', stage: 'plan',
    description: 'a fence is never closed, so the rest of the note is read as code',
    example: md(`${fence}python`, 'print(1)'),
  },
  'nesting-too-deep': {
    severity: 'error', stage: 'plan',
    description: 'lists, quotes or emphasis nest more than 100 levels deep; the deeper part is skipped',
    example: md(`${'> '.repeat(101)}too deep`),
  },
  'malformed-info-string': {
    severity: 'error', stage: 'plan',
    description: "a fence's options cannot be read (an unclosed quote, a stray character)",
    example: md(`${fence}python name="unclosed`, 'print(1)', fence),
  },
  'unknown-language': {
    severity: 'error', stage: 'plan',
    description: "a fence's language is a near-miss of a language that runs and is itself no known language (`pyhton`; `jsx` or `ipython` are known, listed as not run)",
    example: md(`${fence}pyhton`, 'print(1)', fence),
  },
  'unknown-option': {
    severity: 'error', stage: 'plan',
    description: 'an option an annotation does not take, or a near-miss of an option name on a fence (other words on a fence are renderer attributes, kept and ignored)',
    example: md(`${fence}python timout=3`, 'print(1)', fence),
  },
  'option-not-applicable': {
    severity: 'error', stage: 'plan',
    description: "a known option on an example whose language it does not apply to, or on a MyST directive fence, which never runs",
    example: md(`${fence}sh raises=ValueError`, 'true', fence),
  },
  'duplicate-option': {
    severity: 'error', stage: 'plan',
    description: 'the same option twice on one fence',
    example: md(`${fence}python timeout=1 timeout=2`, 'print(1)', fence),
  },
  'invalid-option-value': {
    severity: 'error', stage: 'plan',
    description: "an option's value is of the wrong kind (a flag given a value, a timeout that is no number, `isolate` other than `process`)",
    example: md(`${fence}python timeout=soon`, 'print(1)', fence),
  },
  'match-without-raises': {
    severity: 'error', stage: 'plan',
    description: '`match=` checks the message of an expected exception, so it needs `raises=`',
    example: md(`${fence}python match="boom"`, 'print(1)', fence),
  },
  'invalid-regex': {
    severity: 'error', stage: 'plan',
    description: '`match=` is not a regular expression (checked while reading a JavaScript example; a Python example\'s pattern is compiled by Python when it runs, and fails the example at its line)',
    example: md(`${fence}js raises=Error match="(unclosed"`, 'throw new Error("x")', fence),
  },
  'malformed-requires': {
    severity: 'error', stage: 'plan',
    description: 'a `requires=` condition names no known tool or has an unreadable version',
    example: md(`${fence}python requires=python>=3.x`, 'print(1)', fence),
  },
  'orphan-output': {
    severity: 'error', stage: 'plan',
    description: 'an `output` block follows no example',
    example: md('Some prose.', '', `${fence}output`, '1', fence),
  },
  'duplicate-output': {
    severity: 'error', stage: 'plan',
    description: 'a second `output` block that would never be compared (it follows one without `requires=`, or one with the same conditions)',
    example: md(`${fence}python`, 'print(1)', fence, '', `${fence}output`, '1', fence, '', `${fence}output`, '2', fence),
  },

  // ---- plan: annotations --------------------------------------------------
  'malformed-annotation': {
    severity: 'error', stage: 'plan',
    description: "an annotation's options cannot be read (an unclosed quote, a stray character)",
    example: md('Sorting is stable. <!-- claim stable cite="https://example.org -->'),
  },
  'skip-range': {
    severity: 'error', stage: 'plan',
    description: 'a `<!-- skip start -->` never ended, a `skip end` without a start, or a `skip` whose word is not `start`, `end` or `next`',
    example: md('<!-- skip start -->', '', `${fence}python`, 'print(1)', fence),
  },
  'misspelled-annotation': {
    severity: 'error', stage: 'plan',
    description: 'an HTML comment in annotation syntax whose first word is one edit (or a capital letter) away from an annotation keyword; prose comments are left alone',
    example: md('Sorting is stable. <!-- clam stable -->'),
  },
  'annotation-missing-argument': {
    severity: 'error', stage: 'plan',
    description: 'a `claim` without an id, a `check` without a claim id, an `include` without a path',
    example: md('Sorting is stable. <!-- claim -->'),
  },
  'annotation-missing-code': {
    severity: 'error', stage: 'plan',
    description: 'a `setup`, `teardown` or `check` annotation without code',
    example: md('<!-- setup -->'),
  },
  'annotation-in-paragraph': {
    severity: 'error', stage: 'plan',
    description: 'an annotation that must stand on its own lines sits inside a paragraph',
    example: md('Some prose. <!-- setup', 'x = 1', '-->'),
  },
  'include-without-fence': {
    severity: 'error', stage: 'plan',
    description: 'an `include` annotation is not directly followed by a fence',
    example: md('<!-- include example.py -->', '', 'Some prose.'),
  },
  'include-outside-repository': {
    severity: 'error', stage: 'plan',
    description: "an include's path leaves the repository (also checked when it runs, through symlinks)",
    example: md('<!-- include ../../../../../../etc/passwd -->', `${fence}text`, fence),
  },
  'conflicting-options': {
    severity: 'error', stage: 'plan',
    description: 'options that exclude each other (`include` with both `lines=` and `region=`)',
    example: md('<!-- include example.py lines=1-2 region=body -->', `${fence}python`, 'x = 1', fence),
  },
  'duplicate-claim': {
    severity: 'error', stage: 'plan',
    description: 'two claims with the same id in one note',
    example: md('One. <!-- claim same cite=https://example.org -->', '', 'Two. <!-- claim same cite=https://example.org -->'),
  },
  'empty-claim': {
    severity: 'error', stage: 'plan',
    description: 'a claim annotation that annotates no text',
    example: md('<!-- claim lonely cite=https://example.org -->'),
  },
  'unknown-claim': {
    severity: 'error', stage: 'plan',
    description: 'an example or check names a claim that is not in the note',
    example: md(`${fence}python claim=missing`, 'print(1)', fence),
  },

  // ---- run ----------------------------------------------------------------
  'include-missing': {
    severity: 'error', stage: 'run',
    description: 'the included file does not exist',
    example: md('<!-- include no-such-file.py -->', `${fence}python`, 'x = 1', fence),
  },
  'include-range': {
    severity: 'error', stage: 'run',
    description: '`lines=` goes past the end of the included file',
    example: md('<!-- include one-line.py lines=5-9 -->', `${fence}python`, 'x = 1', fence),
  },
  'include-region': {
    severity: 'error', stage: 'run',
    description: 'the included file has no such `# region NAME` or no `# endregion` after it',
    example: md('<!-- include example.py region=missing -->', `${fence}python`, 'x = 1', fence),
  },
  'claim-without-evidence': {
    severity: 'error', stage: 'run',
    description: 'a claim with no check, no example and no citation',
    example: md('Sorting is stable. <!-- claim stable -->'),
  },
  'claim-weak-evidence': {
    severity: 'warning', stage: 'run',
    description: 'a claim whose evidence asserts nothing (no `output`, no `raises=`, no `assert`, or it only inspects source text): reported `weak`; fails under `strict`',
    example: md('Sorting is stable. <!-- claim stable -->', '', `${fence}python claim=stable`, 'sorted([2, 1])', fence),
  },

  // ---- toc ----------------------------------------------------------------
  'toc-entry-wrong': {
    severity: 'error', stage: 'toc',
    description: 'a TOC entry has the wrong text or target',
    example: md('## Contents', '', '- [Intro](#intor)', '', '## Intro'),
  },
  'toc-entry-level': {
    severity: 'error', stage: 'toc',
    description: 'a TOC entry is nested at the wrong level',
    example: md('## Contents', '', '- [Contents](#contents)', '  - [Intro](#intro)', '', '## Intro'),
  },
  'toc-entry-extra': {
    severity: 'error', stage: 'toc',
    description: 'a TOC entry for a heading that does not exist',
    example: md('## Contents', '', '- [Contents](#contents)', '- [Gone](#gone)'),
  },
  'toc-entry-missing': {
    severity: 'error', stage: 'toc',
    description: 'a heading the TOC does not list',
    example: md('## Contents', '', '- [Contents](#contents)', '', '## Intro'),
  },
  'toc-format': {
    severity: 'error', stage: 'toc',
    description: 'the TOC region lists the right entries but is not laid out as generated (blank lines around the list)',
    example: md('<!-- toc -->', '<!-- tocstop -->'),
  },
  'toc-list-not-generated': {
    severity: 'warning', stage: 'toc',
    description: 'the list under a Contents heading has an entry that is not a link to a heading of the page: it is the author\'s, no TOC is written there',
    example: md('## Contents', '', '- [Install](install.md)'),
  },
  'toc-section-not-generated': {
    severity: 'warning', stage: 'toc',
    description: 'a Contents heading is followed by prose (or a sub-section), not a list: it is the author\'s, no TOC is written there',
    example: md('## Contents', '', 'See the sidebar.'),
  },
  'toc-region-duplicate': {
    severity: 'error', stage: 'toc',
    description: 'a second TOC in one note',
    example: md('## Contents', '', '## TOC'),
  },
  'toc-unsupported': {
    severity: 'error', stage: 'toc',
    description: 'a TOC heading or marker inside a container (list, block quote)',
    example: md('> <!-- toc -->', '> <!-- tocstop -->'),
  },
  'toc-option-unknown': {
    severity: 'error', stage: 'toc',
    description: 'an unknown TOC option on a marker or in front matter',
    example: md('<!-- toc maxdepth=3 -->', '<!-- tocstop -->'),
  },
  'toc-option-invalid': {
    severity: 'error', stage: 'toc',
    description: 'a TOC option with a value it cannot take',
    example: md('<!-- toc max-depth=9 -->', '<!-- tocstop -->'),
  },
  'toc-marker-unclosed': {
    severity: 'error', stage: 'toc',
    description: 'a second `<!-- toc -->` before `<!-- tocstop -->` (a lone `<!-- toc -->` is an insertion point, as in markdown-toc)',
    example: md('<!-- toc -->', '', '<!-- toc -->'),
  },
  'toc-marker-unopened': {
    severity: 'error', stage: 'toc',
    description: '`<!-- tocstop -->` without `<!-- toc -->` before it',
    example: md('<!-- tocstop -->'),
  },
  'index-missing': {
    severity: 'error', stage: 'toc',
    description: 'the notes folder has no README.md to hold the index',
    example: 'a notes folder without README.md',
  },
  'index-markers-missing': {
    severity: 'error', stage: 'toc',
    description: 'the notes README has no `<!-- index -->` … `<!-- indexstop -->` markers',
    example: md('# Knowledge base'),
  },
  'index-region-duplicate': {
    severity: 'error', stage: 'toc',
    description: 'a second index region in the notes README',
    example: md('<!-- index -->', '<!-- indexstop -->', '', '<!-- index -->', '<!-- indexstop -->'),
  },
  'index-unsupported': {
    severity: 'error', stage: 'toc',
    description: 'an index marker inside a container (list, block quote)',
    example: md('> <!-- index -->', '> <!-- indexstop -->'),
  },
  'index-marker-unclosed': {
    severity: 'error', stage: 'toc',
    description: '`<!-- index -->` without `<!-- indexstop -->`',
    example: md('<!-- index -->'),
  },
  'index-marker-unopened': {
    severity: 'error', stage: 'toc',
    description: '`<!-- indexstop -->` without `<!-- index -->` before it',
    example: md('<!-- indexstop -->'),
  },
  'index-entry-extra': {
    severity: 'error', stage: 'toc',
    description: 'an index entry for a note that does not exist',
    example: md('<!-- index -->', '- [Gone](gone.md)', '<!-- indexstop -->'),
  },
  'index-entry-stale': {
    severity: 'error', stage: 'toc',
    description: "an index entry whose title or summary no longer matches its note",
    example: 'an index entry `[Old title](note.md)` for a note now titled `New title`',
  },
  'index-entry-missing': {
    severity: 'error', stage: 'toc',
    description: 'a note the index does not list',
    example: 'a note `notes/new.md` with an index that does not list it',
  },
  'index-format': {
    severity: 'error', stage: 'toc',
    description: 'the index lists the right notes but is not formatted as generated',
    example: 'an index region with `*` bullets instead of `-`',
  },

  // ---- links --------------------------------------------------------------
  'missing-file': {
    severity: 'error', stage: 'links',
    description: 'a link to a file or folder that does not exist',
    example: md('[setup](no-such-note.md)'),
  },
  'file-case-mismatch': {
    severity: 'error', stage: 'links',
    description: "a link to a file that exists only with another case",
    example: 'a link `[a](Other.md)` next to a file named `other.md`',
  },
  'missing-heading': {
    severity: 'error', stage: 'links',
    description: 'a `#fragment` that matches no heading or anchor',
    example: md('# Intro', '', '[back](#intor)'),
  },
  'heading-case-mismatch': {
    severity: 'error', stage: 'links',
    description: 'a `#fragment` that matches a heading only when case is ignored',
    example: md('# Intro', '', '[back](#Intro)'),
  },
  'line-out-of-range': {
    severity: 'error', stage: 'links',
    description: 'a `#L10` line anchor past the end of the file, or `#L0`',
    example: 'a link `[code](script.py#L99)` to a 10-line file',
  },
  'line-range-reversed': {
    severity: 'error', stage: 'links',
    description: 'a `#L20-L10` line range that ends before it starts',
    example: 'a link `[code](script.py#L20-L10)`',
  },
  'undefined-reference': {
    severity: 'error', stage: 'links',
    description: 'a reference-style link whose definition is missing',
    example: md('See [the docs][docs].'),
  },
  'undefined-autoref': {
    severity: 'error', stage: 'links',
    description: 'with `links.autorefs` on: an mkdocs autoref (`[text][module.Class]`, `[Title][]`) that names no heading and no mkdocstrings object',
    example: md('See [the client][httpx.Clinet].'),
  },
  'unused-definition': {
    severity: 'error', stage: 'links',
    description: 'a link definition no link uses',
    example: md('Prose.', '', '[docs]: https://example.org'),
  },
  'duplicate-definition': {
    severity: 'error', stage: 'links',
    description: 'a second link definition with the same label and another destination or title (renderers disagree on which wins); an identical repeat is not reported',
    example: md('See [docs].', '', '[docs]: https://example.org/a', '[docs]: https://example.org/b'),
  },
  'link-leaves-repository': {
    severity: 'error', stage: 'links',
    description: 'a link that resolves outside the repository or to the local disk',
    example: md('[passwd](../../../../../../etc/passwd)'),
  },

  // ---- external links -----------------------------------------------------
  'external-unreachable': {
    severity: 'error', stage: 'external',
    description: 'a web link whose host cannot be reached',
    example: md('[gone](https://no-such-host.invalid/)'),
  },
  'external-timeout': {
    severity: 'error', stage: 'external',
    description: 'a web link that did not answer in time',
    example: 'a link to a server that never answers',
  },
  'external-redirect-loop': {
    severity: 'error', stage: 'external',
    description: 'a web link that redirects too many times',
    example: 'a link to a URL that redirects to itself',
  },
  'external-broken': {
    severity: 'error', stage: 'external',
    description: 'a web link that answers with an error status (404, 410, 500...)',
    example: 'a link to a page that answers 404',
  },
  'external-missing-fragment': {
    severity: 'error', stage: 'external',
    description: "a web link's `#fragment` is no id in the fetched page (with `--check-fragments`)",
    example: 'a link `https://example.org/page#nowhere`',
  },
  'external-rate-limited': {
    severity: 'warning', stage: 'external',
    description: 'a web link still answered 429 after the retries; not counted as broken',
    example: 'a link to a server that keeps answering 429',
  },
  'external-redirect': {
    severity: 'warning', stage: 'external',
    description: 'a web link that redirects; the message gives the final URL to link instead',
    example: 'a link to `http://` that redirects to `https://`',
  },
} as const satisfies Record<string, RuleSpec>;

export type RuleId = keyof typeof RULES;

export function isRuleId(id: string): id is RuleId {
  return Object.hasOwn(RULES, id);
}

export function ruleOf(id: RuleId): RuleSpec {
  return RULES[id];
}
