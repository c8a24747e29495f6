import { inject } from 'vitest';
import { resetConfig } from '../../lib/config';

/** Real services from the global setup; a suite that needs one is skipped (reason printed once) without it. */
export const services = inject('services');
export const embeddedTemplate = inject('embeddedTemplate');
export const hasRealServices = Boolean(services.postgres && services.kv);

/** Environment of a deployment that talks to the real services through the production clients. */
export function productionEnv(): Record<string, string> {
  if (!services.postgres || !services.kv) throw new Error('real services are not available');
  return {
    POSTGRES_URL: services.postgres.driverUrl,
    POSTGRES_WS_PROXY: services.postgres.wsProxy,
    POSTGRES_HTTP_ENDPOINT: services.postgres.httpEndpoint,
    KV_REST_API_URL: services.kv.url,
    KV_REST_API_TOKEN: services.kv.token,
  };
}

/** Sets variables for the config module for one suite; returns the undo. */
export function useEnv(vars: Record<string, string | undefined>): () => void {
  const previous = Object.fromEntries(Object.keys(vars).map((name) => [name, process.env[name]]));
  const apply = (values: Record<string, string | undefined>) => {
    for (const [name, value] of Object.entries(values)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    resetConfig();
  };
  apply(vars);
  return () => apply(previous);
}
