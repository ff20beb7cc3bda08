/**
 * The plan of one note: everything later stages need, extracted from one parse.
 * Plain data (JSON-serialisable): the vitest plugin builds it in the main
 * process and embeds it in the note's test module.
 */
import type { PlainDiagnostic } from '../diagnostics/index.ts';

export type RunnerName = 'python' | 'pycon' | 'js' | 'ts' | 'sh' | 'console';

export interface Located {
  line: number;
  column: number;
}

export interface CodePart {
  code: string;
  /** 1-based line in the note of the code's first line. */
  firstLine: number;
}

export type MatchMode = 'exact' | 'ellipsis' | 'normalize-whitespace' | 'unordered' | 'regex';

export interface ExpectedOutput extends Located {
  text: string;
  /** Offsets of the fence body in the note text (BOM excluded), for in-place updates. */
  bodyStart: number;
  bodyEnd: number;
  modes: MatchMode[];
  /** Conditions (e.g. `python>=3.12`) under which this alternative applies; empty = always. */
  requires: string[];
}

export interface ExampleOptions {
  name?: string;
  /** `true` or the reason. */
  skip?: string | true;
  timeoutMs: number;
  claims: string[];
  session?: string;
  isolate?: 'process';
  requires: string[];
  raises?: string;
  match?: string;
  modes: MatchMode[];
  /** Expected exit status of a shell example (default 0). */
  exit?: number;
  /** A transcript whose prompts run but whose output is not compared (values that differ by version). */
  noOutputCheck?: boolean;
  /** Compile or parse only (`no-run`): the code must be valid; nothing runs. */
  noRun?: boolean;
  /** `network`: the example may use the network. */
  network?: boolean;
  /** Limits given on the example (`memory=4G`, `processes=`, `filesize=`, `disk=`), in bytes / a count. */
  limits?: { memory?: number; processes?: number; fileSize?: number; diskSize?: number };
}

export interface ExamplePlan extends Located {
  kind: 'example';
  /** Stable id inside the note: `example-<line>`. */
  id: string;
  lang: string;
  /** `null` for a language no runner knows yet: listed as "not run". */
  runner: RunnerName | null;
  code: string;
  /** Note line of the first line of code (the line after the opening fence). */
  codeLine: number;
  options: ExampleOptions;
  outputs: ExpectedOutput[];
  headingPath: string[];
  setup: CodePart[];
  teardown: CodePart[];
  /** Set when the fence is bound to a file by an include annotation. */
  include?: IncludePlan;
  /** Why an example in a language that runs is still not run (its code is pulled in by the renderer); listed as not run. */
  notRun?: string;
  /** Attributes for other renderers (`title="main.py"`, `hl_lines="2"`, `.annotate`), kept as written; ignored for running. */
  attributes?: string[];
  /** Offsets of the fence body (for in-place updates of includes). */
  bodyStart: number;
  bodyEnd: number;
}

export interface IncludePlan extends Located {
  /** Path as written, relative to the note. */
  target: string;
  /** Resolved path relative to the repository root. */
  resolved: string;
  lines?: [number, number];
  region?: string;
}

export interface CheckPlan extends CodePart, Located {
  lang: 'python';
  timeoutMs: number;
  raises?: string;
  match?: string;
  session?: string;
}

export interface ClaimPlan extends Located {
  kind: 'claim';
  id: string;
  /** Plain text of the Markdown the claim annotates. */
  text: string;
  cites: string[];
  checks: CheckPlan[];
  /** Ids of the visible examples that name this claim. */
  examples: string[];
  headingPath: string[];
  setup: CodePart[];
  teardown: CodePart[];
}

export interface ProblemPlan extends Located {
  kind: 'problem';
  diagnostic: PlainDiagnostic;
}

export interface SectionPlan extends Located {
  title: string;
  depth: number;
  headingPath: string[];
  /** Ids of the examples and claims inside this section (not its subsections). */
  items: string[];
}

export interface ScriptPlan extends Located {
  kind: 'script';
  id: string;
  /** Repository-relative path of a linked example script (e.g. `notes/python/how-to/x.py`). */
  path: string;
  headingPath: string[];
}

export type PlanItem = ExamplePlan | ClaimPlan | ProblemPlan | ScriptPlan;

export interface NotePlan {
  /** Repository-relative path. */
  path: string;
  title: string;
  hashSeed: string;
  /** `network` and limits from front matter (`network: true`, `memory: 2G`, ...), for every example of the note. */
  sandbox?: Pick<ExampleOptions, 'network' | 'limits'>;
  items: PlanItem[];
  sections: SectionPlan[];
  diagnostics: PlainDiagnostic[];
}
