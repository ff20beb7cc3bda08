/**
 * Building the bash script of one example.
 *
 * Line 1 holds the runner's own code (it sources `prelude.sh` from the
 * example's meta directory); every part of the example (setup, code) then
 * starts on its NOTE line, padded with empty lines, so `$LINENO` and bash's
 * `name: line N:` messages speak in note lines. When parts cannot be placed
 * on their note lines (out of order, or starting on line 1) they go where
 * they fit, and `remapLines` still rewrites bash's error messages.
 */

/**
 * Bash code sourced on line 1: watchdog, EXIT handling, session state, console markers.
 * Line 1 defines __KB_META, __KB_STATE_IN, __KB_STATE_OUT and __KB_SENTINEL (possibly empty) first.
 */
export const PRELUDE = String.raw`# kb-doctest shell prelude (sourced on line 1 of every example script)
# Watchdog: fd 3 is a pipe Node holds open; EOF means the run is over (or Node died): kill the group.
{ read -r -u 3 __kb_eof || :; kill -KILL -- -$$; } </dev/null >/dev/null 2>&1 &
disown $! 2>/dev/null || :
exec 3<&-
__kb_user_exit_trap=
__kb_last=0
# An example's own "trap CMD EXIT" runs inside ours, so the runner's EXIT work still happens.
trap() {
  if [[ $# -eq 2 && ( $2 == EXIT || $2 == 0 ) ]]; then
    if [[ $1 == - ]]; then __kb_user_exit_trap=; else __kb_user_exit_trap=$1; fi
    return 0
  fi
  builtin trap "$@"
}
__kb_ret() { return "$1"; }
__kb_save() {
  local __kb_n
  for __kb_n in $(compgen -v); do
    case $__kb_n in
      __kb*|__KB*|BASH*|EUID|PPID|UID|SHELLOPTS|LINENO|RANDOM|SRANDOM|SECONDS|EPOCHREALTIME|EPOCHSECONDS|FUNCNAME|GROUPS|PIPESTATUS|HISTCMD|_|OPTIND|OPTARG|OPTERR|DIRSTACK|PWD|OLDPWD|SHLVL|IFS|PS4|COMP_WORDBREAKS|HOSTNAME|HOSTTYPE|MACHTYPE|OSTYPE) continue ;;
    esac
    declare -p "$__kb_n" 2>/dev/null || :
  done
  for __kb_n in $(compgen -A function); do
    case $__kb_n in __kb*|trap) continue ;; esac
    declare -f "$__kb_n"
  done
  printf 'cd -- %q 2>/dev/null || :\n' "$PWD"
}
__kb_exit() {
  local __kb_rc=$?
  set +e
  if [[ -n $__kb_user_exit_trap ]]; then __kb_ret "$__kb_rc"; eval "$__kb_user_exit_trap"; fi
  if [[ -n $__KB_STATE_OUT ]]; then __kb_save >"$__KB_STATE_OUT" 2>/dev/null; fi
  builtin exit "$__kb_rc"
}
builtin trap __kb_exit EXIT
# Console transcripts: the end of each command's output, with its exit status.
__kb_mark() { __kb_last=$2; printf '\n%s %s %s\n' "$__KB_SENTINEL" "$1" "$2"; }
if [[ -n $__KB_STATE_IN && -f $__KB_STATE_IN ]]; then source "$__KB_STATE_IN"; fi
`;

/** Single-quote a string for bash. */
export function quote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

export interface Chunk {
  /** Lines of code (no trailing newline). */
  lines: string[];
  /** Note line of the first line; undefined for runner code that maps to nothing. */
  firstLine?: number;
  /** Runner code put in front of the first line, on the same line. */
  prefix?: string;
}

export interface Script {
  text: string;
  /** Script line → note line. */
  lineMap: Map<number, number>;
}

export function codeLines(code: string): string[] {
  const lines = code.replace(/\r\n/g, '\n').split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Lay out `head` on line 1 and each chunk on its note line when the lines allow it. */
export function layout(head: string, chunks: Chunk[]): Script {
  const lines: string[] = [head];
  const lineMap = new Map<number, number>();
  for (const chunk of chunks) {
    if (chunk.firstLine !== undefined) {
      while (lines.length + 1 < chunk.firstLine) lines.push('');
    }
    const start = lines.length + 1;
    chunk.lines.forEach((line, i) => {
      lines.push(i === 0 && chunk.prefix ? chunk.prefix + line : line);
      if (chunk.firstLine !== undefined) lineMap.set(start + i, chunk.firstLine + i);
    });
    if (chunk.lines.length === 0 && chunk.prefix) lines.push(chunk.prefix);
  }
  return { text: `${lines.join('\n')}\n`, lineMap };
}

/** Rewrite `name: line N:` in bash messages from script lines to note lines. */
export function remapLines(text: string, name: string, lineMap: Map<number, number>): string {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return text.replace(new RegExp(`^(${escaped}: line )(\\d+)(:)`, 'gm'), (whole, pre: string, n: string, post: string) => {
    const line = lineMap.get(Number(n));
    return line === undefined ? whole : `${pre}${line}${post}`;
  });
}
