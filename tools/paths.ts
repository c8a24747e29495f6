import { fileURLToPath } from 'node:url';

/** Absolute paths of the project, so tooling works from any working directory. */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');
export const API_DIR = `${PROJECT_ROOT}/api`;
export const MIGRATIONS_FOLDER = `${PROJECT_ROOT}/drizzle`;
export const EMBEDDED_DATA_DIR = `${PROJECT_ROOT}/.data/pglite`;
