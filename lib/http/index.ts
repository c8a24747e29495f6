export {
  clearedSessionCookie,
  type PresentedToken,
  parseCookies,
  readSessionToken,
  SESSION_COOKIE,
  sessionCookie,
} from './cookies';
export { ApiError, type ErrorCode, PROBLEM_CONTENT_TYPE, problemType, toProblemResponse } from './errors';
export { handle, handleParts, type Method, type MethodHandler, type RequestContext } from './handler';
export { cacheableJson, json } from './respond';
