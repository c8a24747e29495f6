import { AsyncLocalStorage } from 'node:async_hooks';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type ClientAddress, createRequestListener } from '@remix-run/node-fetch-server';
import { ApiError, toProblemResponse } from '../../lib/http';
import { describeError, log } from '../../lib/log';
import { applyRewrites, discoverRoutes, loadRewrites, matchRoute, type Route } from './routes';
import { serveStatic } from './static';

type FunctionModule = {
  default: (request: Request, context: RequestContext) => Response | Promise<Response>;
};
type RequestContext = { waitUntil(promise: Promise<unknown>): void };
/** A route the runner itself serves (never deployed), e.g. the dev outbox. */
export type DevRoute = (request: Request) => Response | Promise<Response>;

export type DevServerOptions = {
  projectRoot: string;
  port?: number;
  host?: string;
  devRoutes?: Record<string, DevRoute>;
  /**
   * Tests only: keep a client-sent x-real-ip instead of the socket address, so a suite can act as many
   * clients. Vercel always overwrites it, and so does the runner by default.
   */
  trustClientIpHeader?: boolean;
};

export type DevServer = {
  url: string;
  routes: Route[];
  /** Resolves when all work handed to `waitUntil` so far has settled. */
  idle(): Promise<void>;
  close(): Promise<void>;
};

// `waitUntil` from @vercel/functions looks up the request context under this global symbol, as on Vercel.
const REQUEST_CONTEXT = Symbol.for('@vercel/request-context');
const contextStore = new AsyncLocalStorage<RequestContext>();
(globalThis as Record<symbol, unknown>)[REQUEST_CONTEXT] = { get: () => contextStore.getStore() ?? {} };

/** Serves every `api/` file the way Vercel routes it, and public/, on 127.0.0.1 by default. */
export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const routes = discoverRoutes(options.projectRoot);
  const rewrites = loadRewrites(options.projectRoot);
  const publicDir = join(options.projectRoot, 'public');
  const modules = new Map<string, Promise<FunctionModule>>();
  const pending = new Set<Promise<unknown>>();

  const load = (route: Route) => {
    let module = modules.get(route.file);
    if (!module) {
      module = import(pathToFileURL(`${options.projectRoot}/${route.file}`).href) as Promise<FunctionModule>;
      modules.set(route.file, module);
    }
    return module;
  };

  const waitUntil = (promise: Promise<unknown>) => {
    const tracked = Promise.resolve(promise)
      .catch((error) => log('error', 'wait_until_failed', describeError(error)))
      .finally(() => pending.delete(tracked));
    pending.add(tracked);
  };

  const dispatch = async (incoming: Request, client: ClientAddress): Promise<Response> => {
    const url = applyRewrites(rewrites, new URL(incoming.url));
    const devRoute = options.devRoutes?.[url.pathname];
    if (devRoute) return devRoute(incoming);
    const match = matchRoute(routes, url.pathname);
    const requestId = crypto.randomUUID();
    if (!match && !url.pathname.startsWith('/api/')) {
      const file = serveStatic(publicDir, incoming);
      if (file) return file;
    }
    if (!match)
      return toProblemResponse(
        new ApiError('not_found', `No function at ${url.pathname}`),
        requestId,
        url.origin,
      );

    // As Vercel: `[param]` segments arrive as query parameters, the client address as x-real-ip.
    for (const [name, value] of Object.entries(match.params)) url.searchParams.set(name, value);
    const headers = new Headers(incoming.headers);
    const address = (options.trustClientIpHeader && incoming.headers.get('x-real-ip')) || client.address;
    headers.set('x-real-ip', address);
    headers.set('x-forwarded-for', address);
    headers.set('x-vercel-id', `dev1::${requestId}`);
    const hasBody = incoming.method !== 'GET' && incoming.method !== 'HEAD';
    const request = new Request(url, {
      method: incoming.method,
      headers,
      body: hasBody ? incoming.body : null,
      signal: incoming.signal,
      ...(hasBody ? { duplex: 'half' } : {}),
    } as RequestInit);

    const context: RequestContext = { waitUntil };
    try {
      const module = await load(match.route);
      return await contextStore.run(context, () => module.default(request, context));
    } catch (error) {
      log('error', 'function_crashed', { function: match.route.file, requestId, ...describeError(error) });
      return toProblemResponse(error, requestId, url.origin);
    }
  };

  const server: Server = createServer(createRequestListener(dispatch));
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 3000, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  const idle = async () => {
    while (pending.size > 0) await Promise.allSettled([...pending]);
  };
  return {
    url: `http://${host}:${port}`,
    routes,
    idle,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await idle();
    },
  };
}
