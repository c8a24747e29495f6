import { afterAll, beforeAll } from 'vitest';

/**
 * Opens a backend once for the enclosing suite, when it is available, hands it to `use`, and closes it
 * after the suite: the whole setup of a contract suite that runs on several backends.
 */
export function openForSuite<T extends { close(): Promise<void> }>(
  available: boolean,
  open: () => Promise<T>,
  use: (resource: T) => void,
): void {
  let resource: T | undefined;
  beforeAll(async () => {
    if (!available) return;
    resource = await open();
    use(resource);
  });
  afterAll(async () => {
    await resource?.close();
  });
}
