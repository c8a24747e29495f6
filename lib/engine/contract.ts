/** What callers rely on without running the engine: its versions (stored with every report) and its input bound. */
export const ENGINE_VERSION = '2.0.0';
export const SCHEMA_VERSION = '2';
export const MAX_INPUT_BYTES = 4 * 1024 * 1024;
