import { OPENAPI_TEMPLATE } from './openapi.generated';

/** What the generated document holds in place of the deployment's origin and version. */
export const TEMPLATE_ORIGIN = 'https://app-url.invalid';
export const TEMPLATE_VERSION = '0.0.0-template';

/**
 * The OpenAPI document as JSON text for a deployment: the one `npm run openapi` derived from the
 * schemas, with this deployment's origin (servers, problem types) and version put in. Only the origin
 * of `appUrl` enters the document: its URLs are absolute paths under it.
 */
export function servedOpenApi(version: string, appUrl: string): string {
  return OPENAPI_TEMPLATE.replaceAll(TEMPLATE_ORIGIN, new URL(appUrl).origin).replace(
    `"version":${JSON.stringify(TEMPLATE_VERSION)}`,
    `"version":${JSON.stringify(version)}`,
  );
}
