import { hmacHex, seal, unseal } from '../crypto';
import { keys } from '../kv/keys';
import type { KvStore } from '../kv/store';
import { ApiError } from './errors';

/** How long a key and its answer are kept (draft-ietf-httpapi-idempotency-key-header suggests 24 h). */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** How long a claim may stay unanswered: past it, the first request is taken to have died. */
const IN_FLIGHT_TTL_MS = 2 * 60 * 1000;
/** Headers a replay repeats; quota headers described the first request, not this one. */
const REPLAYED_HEADERS = ['location', 'retry-after', 'content-type'];

export type StoredAnswer = { status: number; headers: Record<string, string>; body: string };
type InFlight = { state: 'in-flight'; fingerprint: string };
type Done = { state: 'done'; fingerprint: string; iv: string; sealed: string };

/** The outcome of presenting a key: the stored answer to replay, or a claim to answer and settle. */
export type IdempotencyClaim =
  | { replay: Response }
  | { replay?: undefined; settle(answer: StoredAnswer): Promise<void>; release(): Promise<void> };

/**
 * `Idempotency-Key` for an unsafe request: the first request with a key claims it; a retry with the same
 * key and the same content (`fingerprint`) gets the first answer again, and nothing runs twice. The same
 * key with other content is 422, and a retry while the first is still running is 409. A key is scoped
 * to who sends it (`scope`: a user id or a submitter hash), so one client's key never reaches another's
 * answer. The stored answer is sealed with a key derived from the client's idempotency key, which is
 * stored only as an HMAC: the store alone cannot read it (it may hold a capability link).
 */
export async function claimIdempotencyKey(
  kv: KvStore,
  secret: string,
  scope: string,
  key: string,
  /** What the request asks for (its content, not its bytes: multipart boundaries differ per retry). */
  content: string,
): Promise<IdempotencyClaim> {
  const [scopeHash, keyHash, fingerprint] = await Promise.all([
    hmacHex(secret, `idempotency-scope\n${scope}`),
    hmacHex(secret, `idempotency-key\n${scope}\n${key}`),
    // Keyed too: a content hash alone would let whoever reads the store confirm a guessed file.
    hmacHex(secret, `idempotency-content\n${content}`),
  ]);
  const recordKey = keys.idempotency(scopeHash, keyHash);
  const inFlight: InFlight = { state: 'in-flight', fingerprint };
  if (await kv.set(recordKey, JSON.stringify(inFlight), { ttlMs: IN_FLIGHT_TTL_MS, onlyIfAbsent: true }))
    return {
      settle: async (answer) => {
        const sealed = await sealAnswer(secret, key, answer);
        const done: Done = { state: 'done', fingerprint, ...sealed };
        await kv.set(recordKey, JSON.stringify(done), { ttlMs: IDEMPOTENCY_TTL_MS, onlyIfPresent: true });
      },
      // A refused or failed request leaves nothing behind: its retry runs afresh.
      release: async () => {
        await kv.deleteIfEquals(recordKey, JSON.stringify(inFlight));
      },
    };
  const raw = await kv.get(recordKey);
  const record = raw ? (JSON.parse(raw) as InFlight | Done) : undefined;
  if (record && record.fingerprint !== fingerprint)
    throw new ApiError(
      'validation_failed',
      'Idempotency-Key: this key was used for another request; send a new key for new content.',
      { fields: { code: 'IDEMPOTENCY_KEY_REUSED' } },
    );
  if (!record || record.state === 'in-flight')
    throw new ApiError('conflict', 'A request with this Idempotency-Key is still being processed.', {
      headers: { 'retry-after': '1' },
    });
  const answer = await unsealAnswer(secret, key, record);
  const headers = new Headers();
  for (const name of REPLAYED_HEADERS) if (answer.headers[name]) headers.set(name, answer.headers[name]);
  headers.set('idempotent-replayed', 'true');
  return { replay: new Response(answer.body, { status: answer.status, headers }) };
}

/** What a response is to replay: its status, the headers replays repeat, and its body. */
export async function storedAnswer(response: Response): Promise<StoredAnswer> {
  const headers: Record<string, string> = {};
  for (const name of REPLAYED_HEADERS) {
    const value = response.headers.get(name);
    if (value !== null) headers[name] = value;
  }
  return { status: response.status, headers, body: await response.clone().text() };
}

// The client's key is the key material, the service's secret the salt: the store alone opens nothing.
const PURPOSE = 'idempotency-answer';
const sealAnswer = (secret: string, key: string, answer: StoredAnswer) =>
  seal(key, secret, PURPOSE, JSON.stringify(answer));
const unsealAnswer = async (secret: string, key: string, record: Done): Promise<StoredAnswer> =>
  JSON.parse(await unseal(key, secret, PURPOSE, record)) as StoredAnswer;
