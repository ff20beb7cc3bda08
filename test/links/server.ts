/**
 * A local HTTP server for the external-link tests: 127.0.0.1, ephemeral port,
 * scripted answers, every request recorded with its time. Nothing here
 * leaves the machine.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Seen {
  method: string;
  path: string;
  at: number;
  userAgent: string | undefined;
}

export interface TestServer {
  origin: string;
  seen: Seen[];
  /** Most `/delay/…` requests in progress at once. */
  maxConcurrentDelays(): number;
  close(): Promise<void>;
}

type Handler = (req: IncomingMessage, res: ServerResponse, count: number) => void;

const PAGE = '<!doctype html><html><body><h2 id="install">Install</h2><a name="usage"></a><p id="user-content-config">x</p></body></html>';

export const ROUTES: Record<string, Handler> = {
  '/ok': (_, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('ok'),
  '/moved': (_, res) => res.writeHead(301, { location: '/ok' }).end(),
  '/temporary': (_, res) => res.writeHead(302, { location: '/ok' }).end(),
  '/gone-after-redirect': (_, res) => res.writeHead(308, { location: '/missing' }).end(),
  '/missing': (_, res) => res.writeHead(404).end('not found'),
  '/busy': (_, res, count) => (count === 1 ? res.writeHead(429, { 'retry-after': '1' }).end() : res.writeHead(200).end('ok')),
  '/flaky': (_, res, count) => (count === 1 ? res.writeHead(503).end() : res.writeHead(200).end('ok')),
  '/slow': (_, res) => {
    setTimeout(() => res.writeHead(200).end('late'), 3000).unref();
  },
  '/no-head': (req, res) => (req.method === 'HEAD' ? res.writeHead(405).end() : res.writeHead(200).end('ok')),
  '/page': (req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(req.method === 'HEAD' ? undefined : PAGE),
  '/delay': (_, res) => {
    setTimeout(() => res.writeHead(200).end('ok'), 80).unref();
  },
};

export async function startServer(): Promise<TestServer> {
  const seen: Seen[] = [];
  const counts = new Map<string, number>();
  let active = 0;
  let maxActive = 0;
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').replace(/\?.*/, '');
    const route = path.startsWith('/delay') ? '/delay' : path;
    seen.push({ method: req.method ?? '', path: req.url ?? '', at: Date.now(), userAgent: req.headers['user-agent'] });
    const count = (counts.get(req.url ?? '') ?? 0) + 1;
    counts.set(req.url ?? '', count);
    if (route === '/delay') {
      active++;
      maxActive = Math.max(maxActive, active);
      res.on('close', () => active--);
    }
    const handler = ROUTES[route];
    if (handler) handler(req, res, count);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    seen,
    maxConcurrentDelays: () => maxActive,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port that was bound on 127.0.0.1 and closed again: connecting to it is refused. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
