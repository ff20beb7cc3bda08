/**
 * Whether a piece of evidence asserts anything. Evidence that runs without
 * checking a value (no `output`, no `raises=`, no `assert`) passes whatever the
 * code does, so the claim it backs is reported `weak`
 * (rule `claim-weak-evidence`). Evidence that only reads source text
 * (`inspect.getsource`, `.__code__`, `dis`) checks how code is written, not
 * what it does: weak too.
 *
 * A plan-time text check, conservative towards "strong": comments and string
 * literals are removed first, so `# assert` or `"raise"` do not count, and any
 * assertion form left in the code does.
 */
import type { CheckPlan, ExamplePlan } from './types.ts';

/** `undefined` when the evidence asserts something, else why it does not. */
export function exampleWeakness(ex: ExamplePlan): string | undefined {
  if (ex.outputs.length > 0) return sourceOnly(ex.runner, ex.code);
  if (ex.options.raises !== undefined) return undefined;
  switch (ex.runner) {
    case 'pycon':
      if (transcriptHasOutput(ex.code, /^(>>>|\.\.\.)( |$)/)) return sourceOnly('python', ex.code);
      return pythonWeakness(promptCode(ex.code, /^(?:>>>|\.\.\.) ?/), 'example');
    case 'console':
      if (transcriptHasOutput(ex.code, /^\$( |$)/) || ex.options.exit !== undefined) return undefined;
      return 'this transcript shows no output and no `exit=`: it passes whatever the commands print';
    case 'sh':
      if (ex.options.exit !== undefined) return undefined;
      return 'this example has no `output` block and no `exit=`: it passes whatever it prints';
    case 'python':
      return pythonWeakness(ex.code, 'example');
    case 'js':
    case 'ts':
      return jsAsserts(ex.code) ? undefined : 'this example has no `output` block, no `raises=`, and no `assert`, `expect(` or `throw`: it passes whatever it computes';
    default:
      return undefined;
  }
}

export function checkWeakness(check: CheckPlan): string | undefined {
  if (check.raises !== undefined) return sourceOnly('python', check.code);
  return pythonWeakness(check.code, 'hidden check');
}

const PY_SOURCE_ONLY = /\binspect\.(?:getsource|getsourcelines|getsourcefile)\b|\.__code__\b|\bimport dis\b|\bfrom dis import\b|\bdis\.(?:dis|Bytecode|get_instructions)\b|\bast\.parse\(\s*inspect\b/;

function sourceOnly(runner: ExamplePlan['runner'] | 'python', code: string): string | undefined {
  if (runner !== 'python' && runner !== 'pycon') return undefined;
  const found = PY_SOURCE_ONLY.exec(stripPython(code));
  return found ? `it inspects source text (\`${found[0].trim()}\`), not behaviour: it checks how the code is written, not what it does` : undefined;
}

const PY_ASSERTS = [
  /^\s*assert\b/m,
  /\braise\b/,
  /\.assert[A-Z_]\w*\s*\(/, // unittest's self.assertEqual, mock.assert_called_once_with
  /\bfail\s*\(/, // self.fail(...), pytest.fail(...)
  /\bpytest\.raises\b/,
  /\bsys\.exit\s*\(\s*(?![0)])/, // sys.exit(1), sys.exit("message"); sys.exit(0) asserts nothing
  /\bexit\s*\(\s*[1-9]/,
];

function pythonWeakness(code: string, what: 'example' | 'hidden check'): string | undefined {
  const text = stripPython(code);
  if (!PY_ASSERTS.some((re) => re.test(text))) {
    return what === 'example'
      ? 'this example has no `output` block, no `raises=` and no `assert`: it passes whatever it computes'
      : 'this hidden check has no `assert`, `raise` or `raises=`: it passes whatever it computes';
  }
  return sourceOnly('python', code);
}

function jsAsserts(code: string): boolean {
  const text = code.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/[^\n]*/g, '').replace(/(['"`])(?:\\.|(?!\1)[^\\\n])*\1/g, '""');
  return /\bassert\b|\bexpect\s*\(|\bthrow\b|process\.exit\s*\(\s*[1-9]|process\.exitCode\s*=\s*[1-9]/.test(text);
}

/** Python code without comments and string literals (so words inside them do not count). */
export function stripPython(code: string): string {
  return code
    .replace(/("""|''')[\s\S]*?\1/g, '""')
    .replace(/(["'])(?:\\.|(?!\1)[^\\\n])*\1/g, '""')
    .replace(/#[^\n]*/g, '');
}

function transcriptHasOutput(code: string, prompt: RegExp): boolean {
  return code.split(/\r?\n/).some((line) => line.trim() !== '' && !prompt.test(line));
}

function promptCode(code: string, prompt: RegExp): string {
  return code.split(/\r?\n/).filter((l) => prompt.test(l)).map((l) => l.replace(prompt, '')).join('\n');
}
