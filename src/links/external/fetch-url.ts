/**
 * Check one external URL: HEAD (GET when HEAD is refused, or when the page's
 * anchors are wanted), redirects followed by hand and recorded, a timeout per
 * request, retries with exponential backoff on network errors and 5xx, and
 * `Retry-After` honoured (capped) on 429 and 503.
 */
import { htmlAnchors } from '../html.ts';

export type Outcome = 'ok' | 'broken' | 'rate-limited' | 'unreachable' | 'timeout' | 'redirect-loop';

export interface Redirect {
  status: number;
  to: string;
}

export interface UrlResult {
  url: string;
  outcome: Outcome;
  /** Final HTTP status, when there was an answer. */
  status?: number;
  statusText?: string;
  /** Every redirect followed, in order. */
  redirects: Redirect[];
  /** Network error code or message (`ECONNREFUSED`, `timeout after 10000 ms`). */
  error?: string;
  /** Requests sent for the last hop, retries included. */
  attempts: number;
  checkedAt: number;
  /** Whether the final answer was HTML (known only when its body was fetched). */
  html?: boolean;
  /** `id`/`name` anchors of the final page, when its body was fetched. */
  ids?: string[];
}

export interface FetchOptions {
  timeoutMs: number;
  /** Retries after the first attempt, for network errors, timeouts, 5xx and 429. */
  retries: number;
  /** First backoff; doubles with each retry. */
  backoffMs: number;
  /** Longest `Retry-After` honoured; longer ones wait this long. */
  maxRetryAfterMs: number;
  maxRedirects: number;
  userAgent: string;
  /** GET the page and keep its anchors (for `--check-fragments`). */
  wantIds: boolean;
  /** Largest body read for anchors. */
  maxBodyBytes?: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  onRequest?: (method: string, url: string) => void;
}

const HEAD_REFUSED = new Set([400, 403, 405, 501]);

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** `Retry-After` in milliseconds from now: delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

interface Answer {
  response?: Response;
  method: string;
  error?: string;
  timedOut?: boolean;
  attempts: number;
}

export async function checkUrl(url: string, options: FetchOptions): Promise<UrlResult> {
  const now = options.now ?? Date.now;
  const redirects: Redirect[] = [];
  let current = url;
  for (let hop = 0; hop <= options.maxRedirects; hop++) {
    const answer = await requestWithRetries(current, options);
    const base = { url, redirects, attempts: answer.attempts, checkedAt: now() };
    const response = answer.response;
    if (!response) {
      return { ...base, outcome: answer.timedOut ? 'timeout' : 'unreachable', ...(answer.error ? { error: answer.error } : {}) };
    }
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      await discard(response);
      current = new URL(location, current).href;
      redirects.push({ status: response.status, to: current });
      continue;
    }
    const result: UrlResult = { ...base, outcome: classify(response.status), status: response.status, statusText: response.statusText };
    if (answer.method === 'GET' && options.wantIds && result.outcome === 'ok') {
      const type = response.headers.get('content-type') ?? '';
      result.html = /html/i.test(type);
      if (result.html) {
        const body = await readBody(response, options.maxBodyBytes ?? 5_000_000).catch(() => '');
        result.ids = [...new Set(htmlAnchors(body).map((anchor) => anchor.value))];
        return result;
      }
    }
    await discard(response);
    return result;
  }
  return { url, outcome: 'redirect-loop', redirects, attempts: 0, checkedAt: now() };
}

function classify(status: number): Outcome {
  if (status >= 200 && status < 300) return 'ok';
  if (status === 429) return 'rate-limited';
  return 'broken';
}

async function requestWithRetries(url: string, options: FetchOptions): Promise<Answer> {
  const wait = options.sleep ?? sleep;
  let attempts = 0;
  for (;;) {
    attempts++;
    const answer = await requestOnce(url, options);
    answer.attempts = attempts;
    const status = answer.response?.status;
    const retryable = !answer.response || status === 429 || (status !== undefined && status >= 500);
    if (!retryable || attempts > options.retries) return answer;
    let delay = options.backoffMs * 2 ** (attempts - 1);
    if (status === 429 || status === 503) {
      const retryAfter = parseRetryAfter(answer.response!.headers.get('retry-after'), (options.now ?? Date.now)());
      if (retryAfter !== undefined) delay = retryAfter;
    }
    if (answer.response) await discard(answer.response);
    await wait(Math.min(delay, options.maxRetryAfterMs));
  }
}

/** One logical request: HEAD, then GET when HEAD is refused (or GET straight away when the body is wanted). */
async function requestOnce(url: string, options: FetchOptions): Promise<Answer> {
  if (!options.wantIds) {
    const head = await send(url, 'HEAD', options);
    if (!head.response || !HEAD_REFUSED.has(head.response.status)) return head;
    await discard(head.response);
  }
  return send(url, 'GET', options);
}

async function send(url: string, method: string, options: FetchOptions): Promise<Answer> {
  const doFetch = options.fetch ?? fetch;
  options.onRequest?.(method, url);
  try {
    const response = await doFetch(url, {
      method,
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs),
      headers: {
        'user-agent': options.userAgent,
        accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.8',
      },
    });
    return { response, method, attempts: 1 };
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
    return {
      method,
      attempts: 1,
      timedOut,
      error: timedOut ? `no answer within ${formatMs(options.timeoutMs)}` : networkCode(error),
    };
  }
}

function networkCode(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code) return cause.code;
  if (cause?.message) return cause.message;
  return error instanceof Error ? error.message : String(error);
}

export function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

async function discard(response: Response): Promise<void> {
  try {
    await response.body?.cancel();
  } catch {
    // Already consumed or aborted.
  }
}

async function readBody(response: Response, maxBytes: number): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    text += decoder.decode(value, { stream: true });
    if (bytes >= maxBytes) {
      await reader.cancel();
      break;
    }
  }
  return text + decoder.decode();
}
