/**
 * The exit status of every command: 0 clean, 1 problems found, 2 bad usage
 * or an internal error. A command's own code returns 0, 1 or 2; anything it
 * throws is an internal error: one line on stderr, no stack trace unless
 * `KB_DEBUG=1` (or, once the command has loaded its configuration, its
 * `"debug": true`), and status 2, so a crash is never mistaken for "found
 * problems" (1).
 */
import { readEnv } from './config/env.ts';

export const EXIT = { clean: 0, problems: 1, failure: 2 } as const;

export interface MainIo {
  env: NodeJS.ProcessEnv;
  stderr: (text: string) => void;
  /**
   * The configuration's `debug` once the command has loaded it (it already folds in `KB_DEBUG`);
   * undefined before, when only `KB_DEBUG` can say.
   */
  debug?: () => boolean | undefined;
}

/** Run a command's entry point and turn what it throws into status 2 with a one-line message. */
export async function runMain(name: string, command: () => number | Promise<number>, io: MainIo): Promise<number> {
  try {
    return await command();
  } catch (error) {
    // The environment is read here, once, only when something went wrong (and no configuration was loaded).
    const debug = io.debug?.() ?? readEnv(io.env).overrides.debug === true;
    const message = error instanceof Error ? error.message : String(error);
    const firstLine = message.split('\n')[0] || (error instanceof Error ? error.name : 'unknown error');
    io.stderr(`${name}: internal error: ${firstLine}${debug ? '' : ' (KB_DEBUG=1 shows the stack trace)'}\n`);
    if (debug && error instanceof Error && error.stack) io.stderr(`${error.stack}\n`);
    return EXIT.failure;
  }
}
