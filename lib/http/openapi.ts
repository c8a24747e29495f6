import * as z from 'zod';
import type { RouteContract } from '../contracts';

/** OpenAPI 3.1 from the route contracts: the same zod schemas the functions validate with. */
export function openApiDocument(contracts: RouteContract[], version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const json = (schema: z.ZodType, io: 'input' | 'output') =>
    z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' });
  for (const route of contracts) {
    const operation: Record<string, unknown> = {
      summary: route.summary,
      tags: route.tags,
      security:
        route.auth === 'session'
          ? [{ bearer: [] }, { cookie: [] }]
          : route.auth === 'cron'
            ? [{ cron: [] }]
            : [],
      responses: Object.fromEntries(
        Object.entries(route.responses).map(([status, response]) => [
          status,
          {
            description: response.description,
            ...(response.headers
              ? {
                  headers: Object.fromEntries(
                    response.headers.map((name) => [name, { schema: { type: 'string' } }]),
                  ),
                }
              : {}),
            ...(response.schema
              ? {
                  content: {
                    [response.contentType ?? 'application/json']: { schema: json(response.schema, 'output') },
                  },
                }
              : {}),
          },
        ]),
      ),
    };
    if (route.query) {
      const schema = json(route.query, 'input') as {
        properties?: Record<string, unknown>;
        required?: string[];
      };
      operation.parameters = Object.entries(schema.properties ?? {}).map(([name, property]) => ({
        name,
        in: 'query',
        required: schema.required?.includes(name) ?? false,
        schema: property,
      }));
    }
    if (route.body) {
      const schema = json(route.body.schema, 'input');
      operation.requestBody = {
        required: true,
        content: Object.fromEntries(route.body.contentTypes.map((type) => [type, { schema }])),
      };
    }
    paths[route.path] = { ...paths[route.path], [route.method]: operation };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'ManufacturingInsideAnalyzer API', version },
    servers: [{ url: '/' }],
    paths,
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'The session token from /api/auth/callback' },
        cookie: { type: 'apiKey', in: 'cookie', name: '__Host-session' },
        cron: { type: 'http', scheme: 'bearer', description: 'CRON_SECRET' },
      },
    },
  };
}
