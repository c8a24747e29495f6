import { fileURLToPath } from 'node:url';

/** Absolute paths of the project, so tooling works from any working directory. */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');
export const API_DIR = `${PROJECT_ROOT}/api`;
export const MIGRATIONS_FOLDER = `${PROJECT_ROOT}/drizzle`;
export const EMBEDDED_DATA_DIR = `${PROJECT_ROOT}/.data/pglite`;
/** Node's flags to run one of the project's TypeScript files: tsx, with `.wasm?module` imports (tools/wasm). */
export const RUN_TS = ['--import', `${PROJECT_ROOT}/tools/wasm/register.mjs`];
