// `npm run dev`: serves every api/ function on 127.0.0.1 with embedded or real backends. Never deployed.
import { loadConfig, resetConfig } from '../../lib/config';
import { provideMailer } from '../../lib/mail';
import { loadEnvFiles } from '../env-files';
import { EMBEDDED_DATA_DIR, PROJECT_ROOT } from '../paths';
import { setUpBackends } from './backends';
import { Outbox } from './outbox';
import { startDevServer } from './server';

loadEnvFiles();

const config = loadConfig(process.env);
const backends = await setUpBackends(config, process.env.DEV_DATA_DIR ?? EMBEDDED_DATA_DIR);
const outbox = new Outbox();
if (!config.mail) provideMailer(outbox);
const server = await startDevServer({
  projectRoot: PROJECT_ROOT,
  port: Number(process.env.PORT ?? 3000),
  devRoutes: { '/__dev/outbox': outbox.route },
}).catch(async (error: NodeJS.ErrnoException) => {
  await backends.close();
  if (error.code === 'EADDRINUSE')
    console.error(`Port ${process.env.PORT ?? 3000} is taken: set PORT to another one.`);
  throw error;
});

// Mailed links and the sign-in redirect point at this runner unless APP_URL says otherwise.
if (!process.env.APP_URL) {
  process.env.APP_URL = `${server.url}/`;
  resetConfig();
}
console.log(`ManufacturingInsideAnalyzer dev runner on ${server.url}`);
console.log(`  database: ${backends.db}`);
console.log(`  kv:       ${backends.kv}`);
console.log(
  `  mail:     ${config.mail ? 'Resend' : `dev outbox (links printed here and at ${server.url}/__dev/outbox)`}`,
);
console.log(`  functions: ${server.routes.map((route) => route.file).join(', ')}`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await server.close();
  await backends.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
