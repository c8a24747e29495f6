import { config as appConfig } from '../lib/config';
import { servedOpenApi } from '../lib/contracts/served';
import { handle } from '../lib/http';

export const config = { runtime: 'edge', regions: ['fra1'] };

let document: string | undefined;

export default handle({
  GET: () => {
    const { version, appUrl } = appConfig();
    document ??= servedOpenApi(version, appUrl);
    return new Response(document, {
      headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'public, max-age=300' },
    });
  },
});
