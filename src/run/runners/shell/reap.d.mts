export interface KillAllOptions {
  procRoot?: string;
  spare?: number[];
  timeoutMs?: number;
  kill?: (pid: number, signal: string) => void;
  sleep?: (ms: number) => void;
  now?: () => number;
}
export function killAllUntilGone(options?: KillAllOptions): number[];
