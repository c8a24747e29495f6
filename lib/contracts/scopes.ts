/** What an API key may do; account routes (export, erasure, keys) never take a key. */
export const API_KEY_SCOPES = ['analyses:read', 'analyses:write'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];
