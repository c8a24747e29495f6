import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { type EdgeFunction, edgeModules } from './workers';

/** The workerd binary Miniflare runs (the package, at Miniflare's version, exports its path). */
const WORKERD = (createRequire(import.meta.url)('workerd') as { default: string }).default;

/**
 * A workerd config serving one worker made of `edgeModules`, embedded from files beside it, on a port
 * workerd picks and reports on its control pipe. `v8Flags` for benches only (`--expose-gc`).
 */
export function workerDirectory(edgeFunction: Omit<EdgeFunction, 'name'>, v8Flags: string[] = []): string {
  const directory = mkdtempSync(join(tmpdir(), 'workerd-'));
  const modules = edgeModules(edgeFunction);
  for (const { path, contents } of modules) writeFileSync(join(directory, path), contents);
  writeFileSync(
    join(directory, 'config.capnp'),
    `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [(name = "main", worker = .worker)],
  sockets = [(name = "http", address = "127.0.0.1:0", http = (), service = "main")],
  v8Flags = [${v8Flags.map((flag) => JSON.stringify(flag)).join(', ')}],
);
const worker :Workerd.Worker = (
  modules = [${modules.map(({ type, path }) => `(name = "${path}", ${type === 'ESModule' ? 'esModule' : 'wasm'} = embed "${path}")`).join(', ')}],
  compatibilityDate = "2026-04-01",
);
`,
  );
  return directory;
}

/** A fresh workerd on `workerDirectory`'s config, once it listens: its port, its pid, and a kill. */
export async function startWorkerd(
  directory: string,
): Promise<{ port: number; pid: number | undefined; stop: () => void }> {
  const child = spawn(
    WORKERD,
    ['serve', join(directory, 'config.capnp'), '--experimental', '--control-fd=3'],
    { stdio: ['ignore', 'ignore', 'inherit', 'pipe'] },
  );
  const stop = () => child.kill('SIGKILL');
  try {
    for await (const line of createInterface(child.stdio[3] as NodeJS.ReadableStream)) {
      const message = JSON.parse(line) as { event?: string; port?: number };
      if (message.event === 'listen' && message.port) return { port: message.port, pid: child.pid, stop };
    }
  } catch (error) {
    stop();
    throw error;
  }
  stop();
  throw new Error('workerd exited before it listened');
}
