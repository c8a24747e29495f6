import { config as appConfig } from '../lib/config';
import { contracts } from '../lib/contracts';
import { handle, json } from '../lib/http';
import { openApiDocument } from '../lib/http/openapi';

export const config = { runtime: 'edge', regions: ['fra1'] };

export default handle({
  GET: () =>
    json(openApiDocument(contracts, appConfig().version), {
      headers: { 'cache-control': 'public, max-age=300' },
    }),
});
