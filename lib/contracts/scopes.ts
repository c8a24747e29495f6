/** What an API key may do; account routes (export, erasure, keys) never take a key. */
export const API_KEY_SCOPES = ['analyses:read', 'analyses:write'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/** What a webhook can be told. */
export const WEBHOOK_EVENTS = ['analysis.completed', 'analysis.failed'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];
