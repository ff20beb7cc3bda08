/**
 * A vitest reporter that prints nothing and keeps, for every test case of every
 * note, what the report needs: the runtime's `meta().kb`, the result state,
 * error messages, location and name. Everything kept is plain data.
 */
import type { Reporter, TestModule, TestCase } from 'vitest/node';
import type { CaseMeta } from '../vitest/note-tests.ts';

export type CaseState = 'passed' | 'failed' | 'skipped' | 'pending';

export interface CollectedCase {
  name: string;
  line: number | undefined;
  column: number | undefined;
  state: CaseState;
  /** Error messages of a failed case (the note runtime puts everything useful in the message). */
  errors: string[];
  /** The reason given to `context.skip()`. */
  skipNote?: string;
  meta?: CaseMeta;
}

export interface CollectedModule {
  /** Absolute path of the note. */
  file: string;
  cases: CollectedCase[];
  /** Errors outside any case (the note failed to load or its hooks threw). */
  errors: string[];
}

export interface CollectedRun {
  modules: CollectedModule[];
  /** Errors outside any note (unhandled errors, global setup). */
  errors: string[];
}

export class CollectingReporter implements Reporter {
  private modules: CollectedModule[] = [];
  private errors: string[] = [];

  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<{ message?: string; stack?: string }>): void {
    this.modules = testModules.map(collectModule);
    for (const e of unhandledErrors) this.errors.push(messageOf(e));
  }

  addRunError(error: unknown): void {
    this.errors.push(messageOf(error as { message?: string }));
  }

  result(): CollectedRun {
    return { modules: this.modules, errors: this.errors };
  }
}

function collectModule(module: TestModule): CollectedModule {
  return {
    file: module.moduleId,
    cases: [...module.children.allTests()].map(collectCase),
    errors: module.errors().map(messageOf),
  };
}

function collectCase(test: TestCase): CollectedCase {
  const result = test.result();
  const kb = (test.meta() as Record<string, unknown>)['kb'] as CaseMeta | undefined;
  return {
    name: test.name,
    line: test.location?.line,
    column: test.location?.column,
    state: result.state,
    errors: (result.errors ?? []).map(messageOf),
    ...(result.state === 'skipped' && result.note ? { skipNote: result.note } : {}),
    ...(kb ? { meta: kb } : {}),
  };
}

function messageOf(error: { message?: string; stack?: string } | undefined): string {
  if (!error) return 'unknown error';
  return error.message ?? error.stack ?? String(error);
}
