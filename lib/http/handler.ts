import { ApiError, toProblemResponse } from './errors';
import { describeError, log } from './log';

export type Method = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';
export type RequestContext = { requestId: string };
export type MethodHandler = (request: Request, context: RequestContext) => Promise<Response> | Response;

/**
 * Builds an `api/` file's default export from per-method handlers: 405 with `Allow` for other methods,
 * a request id on every response, and every thrown error rendered as problem+json.
 */
export function handle(handlers: Partial<Record<Method, MethodHandler>>): (request: Request) => Promise<Response> {
  const allowed = Object.keys(handlers) as Method[];
  if (handlers.GET && !handlers.HEAD) allowed.push('HEAD');
  const allow = allowed.join(', ');

  return async (request) => {
    const requestId = request.headers.get('x-vercel-id') ?? crypto.randomUUID();
    const method = request.method.toUpperCase() as Method;
    const handler = handlers[method] ?? (method === 'HEAD' ? handlers.GET : undefined);
    let response: Response;
    try {
      if (!handler) throw new ApiError('method_not_allowed', `Use one of: ${allow}`, { headers: { allow } });
      response = await handler(request, { requestId });
    } catch (error) {
      if (!(error instanceof ApiError) || error.status >= 500) {
        log('error', 'request_failed', { requestId, method, path: new URL(request.url).pathname, ...describeError(error) });
      }
      response = toProblemResponse(error, requestId);
    }
    // Copy the headers: a Response's own may be immutable (Response.redirect, fetched responses).
    const headers = new Headers(response.headers);
    headers.set('x-request-id', requestId);
    const body = method === 'HEAD' ? null : response.body;
    return new Response(body, { status: response.status, statusText: response.statusText, headers });
  };
}
