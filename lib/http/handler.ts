import type { Database, DatabaseSession } from '../db';
import type { KvStore } from '../kv';
import { describeError, log } from '../log';
import { type Mailer, mailer } from '../mail';
import { crossOrigin, isPreflight, preflight } from './cors';
import { ApiError, toProblemResponse } from './errors';

export type Method = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';
export type RequestContext = {
  requestId: string;
  /** This request's database handle, opened on first use and released when the request's work is done. */
  db(): Promise<Database>;
  /** The KV store (the REST client holds no connection: one per instance). */
  kv(): KvStore;
  /** The mailer (the configured provider, or the dev runner's outbox). */
  mailer(): Mailer;
  /**
   * Background work, started once the response is ready (so it never competes with it) and kept alive
   * after it (Vercel's waitUntil); failures are logged, never thrown.
   */
  waitUntil(work: () => Promise<unknown>): void;
};
export type MethodHandler<Context = RequestContext> = (
  request: Request,
  context: Context,
) => Promise<Response> | Response;

/**
 * The stores a function reaches, named by its `api/` file (`openDatabase` from lib/db, `kv` from lib/kv):
 * a bundle then carries only the clients its file names. The Neon driver with drizzle and the Upstash
 * client are most of a bundle's bytes, so a function that needs no database (sign-in, the OpenAPI
 * document) starts without parsing them.
 */
export type Stores = { db?: () => DatabaseSession; kv?: () => KvStore };

/**
 * The context a file's handlers see: `db` and `kv` only where the file names them, so a handler (or a
 * lib function it passes the context to) reaching another store does not type-check.
 */
export type ContextOf<Named extends Stores> = Omit<RequestContext, 'db' | 'kv'> &
  (Named extends { db: () => DatabaseSession } ? Pick<RequestContext, 'db'> : unknown) &
  (Named extends { kv: () => KvStore } ? Pick<RequestContext, 'kv'> : unknown);

type HandleOptions<Named extends Stores> = {
  /**
   * The origins whose pages may call this function (CORS): they get CORS headers on every answer,
   * errors included, and preflights are answered; other origins get none.
   */
  cors?: () => readonly string[];
  /** The stores its handlers reach through the context; none by default. */
  stores?: Named;
};

/** A store the file did not name: a wiring bug, answered as a 500. */
const unnamed = (store: string) => (): never => {
  throw new Error(`this function names no ${store} store (handle's \`stores\` option)`);
};

let runBackground = (work: () => Promise<unknown>): Promise<unknown> => work();

/**
 * What Vercel hands a Web handler beside the request (functions API reference: `context`, `{ waitUntil }`
 * for non-Next.js functions); the dev runner and the workerd harness pass the same. Taken from the call,
 * not from @vercel/functions, whose index would put all its parts into every bundle.
 */
export type PlatformContext = { waitUntil?(promise: Promise<unknown>): void };

/**
 * Tooling hook (the request bench): how background work is started, e.g. under a marker that tells its
 * network calls apart from the response's. Deployed code never calls it.
 */
export function provideBackgroundRunner(
  runner: ((work: () => Promise<unknown>) => Promise<unknown>) | undefined,
) {
  runBackground = runner ?? ((work) => work());
}

/**
 * Builds an `api/` file's default export from per-method handlers: 405 with `Allow` for other methods,
 * a request id on every response, every thrown error rendered as problem+json, and the request's
 * database connections released after its background work.
 */
export function handle<Named extends Stores = Record<never, never>>(
  handlers: Partial<Record<Method, MethodHandler<ContextOf<Named>>>>,
  options: HandleOptions<Named> = {},
): (request: Request, platform?: PlatformContext) => Promise<Response> {
  const allowed = Object.keys(handlers) as Method[];
  if (handlers.GET && !handlers.HEAD) allowed.push('HEAD');
  if (!handlers.OPTIONS) allowed.push('OPTIONS');
  const allow = allowed.join(', ');
  const registered = options.cors;
  const openDatabase = options.stores?.db ?? unnamed('database');
  const kv = options.stores?.kv ?? unnamed('KV');

  return async (request, platform) => {
    const requestId = request.headers.get('x-vercel-id') ?? crypto.randomUUID();
    const method = request.method.toUpperCase() as Method;
    const handler =
      handlers[method] ??
      (method === 'HEAD' ? handlers.GET : undefined) ??
      (method === 'OPTIONS'
        ? registered && isPreflight(request)
          ? () => preflight(request, registered(), allow)
          : () => new Response(null, { status: 204, headers: { allow } })
        : undefined);
    let session: DatabaseSession | undefined;
    const deferred: (() => Promise<unknown>)[] = [];
    const context: RequestContext = {
      requestId,
      db: () => {
        session ??= openDatabase();
        return session.db;
      },
      kv,
      mailer,
      waitUntil: (work) => {
        deferred.push(work);
      },
    };
    let response: Response;
    let cors: Headers | undefined;
    try {
      cors = registered && crossOrigin(request, registered());
      if (!handler) throw new ApiError('method_not_allowed', `Use one of: ${allow}`, { headers: { allow } });
      response = await handler(request, context);
    } catch (error) {
      response = toProblemResponse(error, requestId, new URL(request.url).origin);
      // Failures of ours are errors; refusals (404, 401, 403, 429 ...) and clients that hung up are not.
      const where = { requestId, method, path: new URL(request.url).pathname, status: response.status };
      if (request.signal.aborted || (error instanceof Error && error.name === 'AbortError'))
        log('info', 'request_aborted', where);
      else if (response.status >= 500) log('error', 'request_failed', { ...where, ...describeError(error) });
      else if (!(error instanceof ApiError))
        log('info', 'request_refused', { ...where, error: (error as Error).name });
    }
    const background = deferred.map((work) =>
      runBackground(work).catch((error) =>
        log('error', 'background_failed', { requestId, ...describeError(error) }),
      ),
    );
    if (session || background.length > 0) {
      const keepAlive = Promise.allSettled(background).then(() => session?.release());
      // Without a platform (a direct call in a test) the work still runs; nothing needs keeping alive.
      platform?.waitUntil?.(keepAlive);
    }
    // Copy the headers: a Response's own may be immutable (Response.redirect, fetched responses).
    const headers = new Headers(response.headers);
    headers.set('x-request-id', requestId);
    for (const [name, value] of cors ?? []) {
      if (name === 'vary') headers.append(name, value);
      else headers.set(name, value);
    }
    // Every response: no content sniffing, and no URL (with its tokens) passed on as a referrer.
    headers.set('x-content-type-options', 'nosniff');
    if (!headers.has('referrer-policy')) headers.set('referrer-policy', 'no-referrer');
    const body = method === 'HEAD' ? null : response.body;
    return new Response(body, { status: response.status, statusText: response.statusText, headers });
  };
}

/**
 * One function serving several sub-resources of one resource (`/api/me`, `/api/me/sessions`, ...: rewrites
 * to `?part=`), each with its own methods, so `Allow` and 405 stay exact per path. An unknown part is 404.
 */
export function handleParts<Named extends Stores = Record<never, never>>(
  parts: Record<string, Partial<Record<Method, MethodHandler<ContextOf<Named>>>>>,
  options: HandleOptions<Named> = {},
): (request: Request, platform?: PlatformContext) => Promise<Response> {
  const built = new Map(
    Object.entries(parts).map(([name, handlers]) => [name, handle<Named>(handlers, options)]),
  );
  const missing = () => {
    throw new ApiError('not_found');
  };
  const unknown = handle(
    { GET: missing, POST: missing, PATCH: missing, PUT: missing, DELETE: missing },
    options,
  );
  return (request, platform) => {
    const part = new URL(request.url).searchParams.get('part') ?? '';
    return (built.get(part) ?? unknown)(request, platform);
  };
}
