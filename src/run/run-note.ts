/**
 * run: the verdict of every item of one note, each computed at most once.
 * Examples, hidden checks and session chains are memoized promises, so a claim
 * that names an example and the example's own case share one execution.
 */
import path from 'node:path';
import type { CheckPlan, ClaimPlan, ExamplePlan, NotePlan, RunnerName, ScriptPlan } from '../plan/types.ts';
import { revealHiddenLines } from '../plan/hidden-lines.ts';
import { checkWeakness, exampleWeakness } from '../plan/evidence-strength.ts';
import { evaluate } from './evaluate.ts';
import { readInclude } from './include.ts';
import { outputDiff } from './output-match.ts';
import { failed, passed, skipped, type Verdict } from './result.ts';
import { parseCondition, pythonConditionHolds } from './requires.ts';
import { runCode, runnerModule, type CodeJob } from './runners/index.ts';
import { resolvePython } from './runners/python/interpreter.ts';
import { activeSettings, type RunSettings } from './settings.ts';
import { readFileSync } from 'node:fs';

/** `weak`: the evidence passed but asserts nothing (see plan/evidence-strength.ts). */
export type ClaimStatus = 'verified' | 'weak' | 'cited' | 'failing' | 'no-evidence';

export interface EvidenceOutcome {
  kind: 'example' | 'check' | 'cite';
  line: number;
  status: Verdict['status'] | 'cited';
  message?: string;
  url?: string;
  /** Why this evidence asserts nothing (rule `claim-weak-evidence`). */
  weak?: string;
}

export interface ClaimVerdict {
  status: ClaimStatus;
  evidence: EvidenceOutcome[];
}

/** A session member: a visible block or a hidden check, ordered by line. */
type SessionMember = { line: number; verdict: () => Promise<Verdict>; run: () => Promise<Verdict> };

export class NoteRun {
  readonly examples = new Map<string, ExamplePlan>();
  readonly claims = new Map<string, ClaimPlan>();
  private readonly verdicts = new Map<string, Promise<Verdict>>();
  private readonly sessions = new Map<string, SessionMember[]>();
  /** Open sessions and the runner that holds their state. */
  private readonly openSessions = new Map<string, RunnerName>();

  constructor(
    readonly plan: NotePlan,
    readonly file: string,
    readonly root: string,
    readonly settings: RunSettings = activeSettings(),
  ) {
    for (const item of plan.items) {
      if (item.kind === 'example') this.examples.set(item.id, item);
      if (item.kind === 'claim') this.claims.set(item.id, item);
    }
    this.planSessions();
  }

  /** Session members in line order, so a block always runs after the blocks above it. */
  private planSessions(): void {
    const members = new Map<string, { line: number; key: string; kind: 'example' | 'check'; example?: ExamplePlan; check?: CheckPlan }[]>();
    const add = (session: string, m: { line: number; key: string; kind: 'example' | 'check'; example?: ExamplePlan; check?: CheckPlan }) => {
      if (!members.has(session)) members.set(session, []);
      members.get(session)!.push(m);
    };
    for (const ex of this.examples.values()) {
      if (ex.options.session && ex.runner && ex.options.skip === undefined) add(ex.options.session, { line: ex.line, key: ex.id, kind: 'example', example: ex });
    }
    for (const claim of this.claims.values()) {
      for (const check of claim.checks) if (check.session) add(check.session, { line: check.line, key: checkKey(check), kind: 'check', check });
    }
    for (const [session, list] of members) {
      list.sort((a, b) => a.line - b.line);
      this.sessions.set(session, list.map((m, index) => ({
        line: m.line,
        verdict: () => (m.example ? this.exampleVerdict(m.example.id) : this.checkVerdict(m.check!)),
        run: () => this.runSessionMember(session, index, m.example, m.check),
      })));
    }
  }

  exampleVerdict(id: string): Promise<Verdict> {
    return this.memo(id, () => this.runExample(this.examples.get(id)!));
  }

  private memo(key: string, compute: () => Promise<Verdict>): Promise<Verdict> {
    let v = this.verdicts.get(key);
    if (!v) {
      v = compute().catch((error: unknown) => failed(`internal error: ${(error as Error)?.stack ?? String(error)}`, undefined, { runStatus: 'crashed' }));
      this.verdicts.set(key, v);
    }
    return v;
  }

  private sessionKey(session: string): string {
    return `${this.plan.path}#${session}`;
  }

  private async runExample(ex: ExamplePlan): Promise<Verdict> {
    let includeMismatch: Verdict | undefined;
    if (ex.include) {
      const included = readInclude(ex.include, this.root);
      if (!included.ok) return failed(`${included.message} [${included.rule}]`, ex.include.line);
      const shown = ex.code.replace(/\r\n/g, '\n').replace(/\n+$/, '');
      const actual = included.text.replace(/\n+$/, '');
      if (shown !== actual) {
        includeMismatch = failed(
          `this block differs from \`${ex.include.target}\`${ex.include.lines ? ` lines ${ex.include.lines.join('-')}` : ''}${ex.include.region ? ` region ${ex.include.region}` : ''} (include at line ${ex.include.line}); update the block (kb update) or the file\n\n${outputDiff(actual, shown, 'block').replace('--- expected block', `--- ${ex.include.resolved}`).replace('+++ actual block', '+++ the note')}`,
          ex.codeLine,
          { actualOutput: actual + '\n', updatable: 'include' },
        );
      }
    }
    if (includeMismatch) return includeMismatch;
    // A skipped block is still compared with its include above: it must not drift either.
    if (ex.options.skip !== undefined) return skipped(ex.options.skip === true ? 'skipped by `skip`' : `skipped: ${ex.options.skip}`);
    // `notRun` is set by every stage that decides a block does not run (a language the configuration
    // turns off for this file keeps its runner, for the report): it wins over the runner.
    if (!ex.runner || ex.notRun !== undefined) {
      if (ex.include) return { status: 'passed', durationMs: 0 };
      return skipped(`not run: ${ex.notRun ?? `no runner for \`${ex.lang}\` yet`}`);
    }
    if (ex.options.session) {
      const member = this.sessions.get(ex.options.session)?.find((m) => m.line === ex.line);
      if (member) return member.run();
    }
    return this.execute(ex, { setup: ex.setup, teardown: ex.teardown });
  }

  private async execute(ex: ExamplePlan, scope: { setup: ExamplePlan['setup']; teardown: ExamplePlan['teardown']; session?: string }): Promise<Verdict> {
    const unmet = await this.unmetCondition(ex.options.requires);
    if (unmet) return skipped(unmet);
    const output = await this.applicableOutput(ex);
    if (typeof output === 'string') return failed(output, ex.line);
    if (ex.options.noRun) return this.compileOnly(ex);
    const result = await runCode({ ...this.job(ex.runner!, revealHiddenLines(ex.runner, ex.code), ex.codeLine, ex.options.timeoutMs, scope, ex.options.isolate, ex.options.noOutputCheck ? [...ex.options.modes, 'no-output-check'] : ex.options.modes, ex), match: ex.options.match });
    return evaluate(result, {
      raises: ex.options.raises,
      match: ex.options.match,
      exit: ex.options.exit,
      output,
      modes: ex.options.modes,
      line: ex.line,
    });
  }

  /** `no-run`: Python compiles the block in the worker, JavaScript and TypeScript are parsed here; nothing of it runs. */
  private async compileOnly(ex: ExamplePlan): Promise<Verdict> {
    if (ex.runner === 'js' || ex.runner === 'ts') {
      const { preparePart } = await import('./runners/javascript/prepare.ts');
      const problem = preparePart(revealHiddenLines(ex.runner, ex.code), { lang: ex.runner, file: this.file, expose: false, imports: new Map() }).syntaxError;
      if (!problem) return passed();
      return failed(`SyntaxError: ${problem.message} (\`no-run\`: the block must parse)\n\n${problem.frame}`, ex.codeLine + problem.line - 1);
    }
    // Padded with newlines so a SyntaxError names the note line; compiled in the worker, in the example's Python.
    const padded = '\n'.repeat(Math.max(0, ex.codeLine - 1)) + revealHiddenLines(ex.runner, ex.code);
    const code = `compile(${JSON.stringify(padded)}, ${JSON.stringify(this.file)}, 'exec', flags=__import__('ast').PyCF_ALLOW_TOP_LEVEL_AWAIT, dont_inherit=True)`;
    const result = await runCode(this.job('python', code, ex.codeLine, ex.options.timeoutMs, { setup: [], teardown: [], session: undefined }, undefined, []));
    return evaluate(result, { modes: [], line: ex.line });
  }

  private job(runner: NonNullable<ExamplePlan['runner']>, code: string, firstLine: number, timeoutMs: number, scope: { setup: ExamplePlan['setup']; teardown: ExamplePlan['teardown']; session?: string }, isolate: 'process' | undefined, flags: string[], ex?: ExamplePlan): CodeJob {
    const settings = this.settings;
    return {
      settings,
      sandbox: {
        network: ex?.options.network ?? this.plan.sandbox?.network ?? settings.network,
        limits: { ...settings.limits, ...this.plan.sandbox?.limits, ...ex?.options.limits },
      },
      runner,
      file: this.file,
      root: this.root,
      code,
      firstLine,
      setup: scope.setup,
      teardown: scope.teardown,
      timeoutMs,
      session: scope.session ? this.sessionKey(scope.session) : undefined,
      isolate,
      hashSeed: this.plan.hashSeed,
      flags,
    };
  }

  /** The output alternative whose conditions hold; a string when none does. */
  private async applicableOutput(ex: ExamplePlan): Promise<{ block: ExamplePlan['outputs'][number]; index: number } | undefined | string> {
    if (ex.outputs.length === 0) return undefined;
    for (const [index, block] of ex.outputs.entries()) {
      if (!(await this.unmetCondition(block.requires))) return { block, index };
    }
    const python = await resolvePython(this.settings);
    return `none of the ${ex.outputs.length} \`output\` alternatives applies to Python ${python.versionString}; add one without \`requires=\` or with a matching condition`;
  }

  /** `undefined` when every condition holds, else the reason to skip. */
  private async unmetCondition(conditions: string[]): Promise<string | undefined> {
    for (const text of conditions) {
      const condition = parseCondition(text);
      if (typeof condition === 'string') return condition;
      const python = await resolvePython(this.settings);
      if (condition.kind === 'python') {
        if (!pythonConditionHolds(condition, python.version)) return `skipped: requires ${condition.text} (running ${python.versionString})`;
      } else {
        const found = await this.memo(`module:${condition.name}`, async () => {
          const result = await runCode(this.job('python', `import importlib.util\nif importlib.util.find_spec(${JSON.stringify(condition.name)}) is None:\n    raise ModuleNotFoundError(${JSON.stringify(condition.name)})`, 1, 10_000, { setup: [], teardown: [] }, undefined, []));
          return result.exception || result.status !== 'passed' ? failed('missing') : { status: 'passed', durationMs: 0 };
        });
        if (found.status !== 'passed') return `skipped: requires module \`${condition.name}\`, which is not importable`;
      }
    }
    return undefined;
  }

  private async runSessionMember(session: string, index: number, ex?: ExamplePlan, check?: CheckPlan): Promise<Verdict> {
    const key = this.sessionKey(session);
    const members = this.sessions.get(session)!;
    if (index > 0) {
      const previous = await members[index - 1]!.verdict();
      if (previous.status === 'failed') {
        const culprit = previous.culprit ?? members[index - 1]!.line;
        return failed(`skipped because block at line ${culprit} of session \`${session}\` failed`, undefined, { culprit });
      }
    }
    this.openSessions.set(key, ex?.runner ?? 'python');
    const isFirst = index === 0;
    const isLast = index === members.length - 1;
    let verdict: Verdict;
    if (ex) {
      verdict = await this.execute(ex, { setup: isFirst ? ex.setup : [], teardown: isLast ? ex.teardown : [], session });
    } else {
      verdict = await this.runCheck(check!, session);
    }
    if (verdict.status === 'failed') verdict.culprit ??= ex ? ex.line : check!.line;
    if (isLast || verdict.status === 'failed') await this.endSession(key);
    return verdict;
  }

  private async endSession(key: string): Promise<void> {
    const runner = this.openSessions.get(key);
    if (!runner) return;
    this.openSessions.delete(key);
    await (await runnerModule(runner)).endSession?.(key);
  }

  async closeSessions(): Promise<void> {
    for (const key of [...this.openSessions.keys()]) await this.endSession(key);
  }

  checkVerdict(check: CheckPlan): Promise<Verdict> {
    if (check.session) {
      const member = this.sessions.get(check.session)!.find((m) => m.line === check.line)!;
      return this.memo(checkKey(check), member.run);
    }
    return this.memo(checkKey(check), () => this.runCheck(check));
  }

  private async runCheck(check: CheckPlan, session?: string): Promise<Verdict> {
    const claim = [...this.claims.values()].find((c) => c.checks.includes(check));
    const result = await runCode({ ...this.job('python', check.code, check.firstLine, check.timeoutMs, { setup: session ? [] : claim?.setup ?? [], teardown: session ? [] : claim?.teardown ?? [], session }, undefined, []), match: check.match });
    return evaluate(result, { raises: check.raises, match: check.match, modes: [], line: check.firstLine });
  }

  async claimVerdict(claim: ClaimPlan): Promise<ClaimVerdict> {
    const evidence: EvidenceOutcome[] = [];
    for (const id of claim.examples) {
      const v = await this.exampleVerdict(id);
      const ex = this.examples.get(id)!;
      const weak = exampleWeakness(ex);
      evidence.push({ kind: 'example', line: ex.line, status: v.status, message: v.message, ...(weak ? { weak } : {}) });
    }
    for (const check of claim.checks) {
      const v = await this.checkVerdict(check);
      const weak = checkWeakness(check);
      evidence.push({ kind: 'check', line: check.firstLine, status: v.status, message: v.message, ...(weak ? { weak } : {}) });
    }
    for (const url of claim.cites) evidence.push({ kind: 'cite', line: claim.line, status: 'cited', url });
    const executable = evidence.filter((e) => e.kind !== 'cite');
    let status: ClaimStatus;
    if (executable.some((e) => e.status === 'failed')) status = 'failing';
    else if (executable.some((e) => e.status === 'passed' && !e.weak)) status = 'verified';
    else if (executable.some((e) => e.status === 'passed')) status = 'weak';
    else if (claim.cites.length > 0) status = 'cited';
    else status = 'no-evidence';
    return { status, evidence };
  }

  async scriptVerdict(script: ScriptPlan): Promise<Verdict> {
    return this.memo(script.id, async () => {
      const abs = path.resolve(this.root, script.path);
      let code: string;
      try {
        code = readFileSync(abs, 'utf8');
      } catch {
        // The note's links case reports the broken link; running nothing is not a pass.
        return skipped(`not run: linked script \`${script.path}\` does not exist (see the links case)`);
      }
      const result = await runCode({ ...this.job('python', code, 1, 60_000, { setup: [], teardown: [] }, undefined, []), file: abs });
      return evaluate(result, { modes: [], line: script.line });
    });
  }
}

function checkKey(check: CheckPlan): string {
  return `check-${check.firstLine}`;
}
