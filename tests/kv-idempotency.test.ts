import { describe, expect, it } from 'vitest';
import { claimIdempotencyKey, type IdempotencyClaim, storedAnswer } from '../lib/http/idempotency';
import { type KvStore, keys } from '../lib/kv';
import { kvBackends, unique } from './support/kv';
import { openForSuite } from './support/suite';

const SECRET = 'idempotency-test-secret-0123456789abcdef';
const claim = (kv: KvStore, scope: string, key: string, fingerprint: string) =>
  claimIdempotencyKey(kv, SECRET, scope, key, fingerprint);
const owned = (claimed: IdempotencyClaim) => {
  if (claimed.replay) throw new Error('expected a claim, got a replay');
  return claimed;
};

describe.each(kvBackends)('Idempotency-Key records on %s', (_name, open, available) => {
  let kv: KvStore;
  openForSuite(available, open, (backend) => {
    kv = backend.store;
  });

  describe.skipIf(!available)('behaviour', () => {
    it('replays the first answer for the same key and content, sealed in the store', async () => {
      const scope = unique('user');
      const key = unique('key');
      const [id, token] = [unique('analysis'), unique('capability')];
      const content = unique('content');
      const first = owned(await claim(kv, scope, key, content));
      const answer = new Response(`{"id":"${id}","statusUrl":"https://x/?access=${token}"}`, {
        status: 202,
        headers: { location: `https://x/?access=${token}`, 'retry-after': '2', ratelimit: '"u";r=1;t=9' },
      });
      await first.settle(await storedAnswer(answer));
      const again = await claim(kv, scope, key, content);
      expect(again.replay?.status).toBe(202);
      expect(Object.fromEntries(again.replay?.headers ?? [])).toEqual({
        'content-type': 'text/plain;charset=UTF-8',
        location: `https://x/?access=${token}`,
        'retry-after': '2',
        'idempotent-replayed': 'true',
      });
      expect(await again.replay?.text()).toContain(id);
      // What the store holds names neither the key, the scope, the content nor the answer: HMACs and ciphertext.
      const stored = await kv.scan('0', keys.idempotency('*', '*'), 10_000);
      const values = await Promise.all(stored.keys.map((name) => kv.get(name)));
      const dump = stored.keys.join(' ') + values.join(' ');
      for (const secret of [token, key, scope, id, content]) expect(dump).not.toContain(secret);
    });

    it('refuses the key with other content (422), and a duplicate in flight (409)', async () => {
      const scope = unique('user');
      owned(await claim(kv, scope, 'key-2', 'fp-a'));
      await expect(claim(kv, scope, 'key-2', 'fp-a')).rejects.toMatchObject({ status: 409 });
      await expect(claim(kv, scope, 'key-2', 'fp-b')).rejects.toMatchObject({
        status: 422,
        extra: { fields: { code: 'IDEMPOTENCY_KEY_REUSED' } },
      });
    });

    it('of 20 concurrent claims exactly one wins', async () => {
      const scope = unique('user');
      const outcomes = await Promise.allSettled(
        Array.from({ length: 20 }, () => claim(kv, scope, 'key-3', 'fp')),
      );
      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
      for (const outcome of outcomes)
        if (outcome.status === 'rejected') expect(outcome.reason).toMatchObject({ status: 409 });
    });

    it('frees a released key for a retry, and keeps scopes apart', async () => {
      const scope = unique('user');
      await owned(await claim(kv, scope, 'key-4', 'fp')).release();
      const retry = owned(await claim(kv, scope, 'key-4', 'fp'));
      await retry.release();
      // Another client with the same key value: its own record, never the first one's answer.
      const mine = owned(await claim(kv, scope, 'key-5', 'fp'));
      await mine.settle({ status: 201, headers: {}, body: 'mine' });
      const theirs = await claim(kv, unique('other'), 'key-5', 'fp');
      expect(theirs.replay).toBeUndefined();
    });
  });
});
