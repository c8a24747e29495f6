import { config as appConfig } from '../lib/config';
import { openApiDocument } from '../lib/contracts';
import { handle, json } from '../lib/http';

export const config = { runtime: 'edge', regions: ['fra1'] };

let document: ReturnType<typeof openApiDocument> | undefined;

export default handle({
  GET: () => {
    const { version, appUrl } = appConfig();
    document ??= openApiDocument(version, appUrl);
    return json(document, { headers: { 'cache-control': 'public, max-age=300' } });
  },
});
