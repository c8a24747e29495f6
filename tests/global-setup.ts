import 'vitest';
import type { TestProject } from 'vitest/node';
import { ensureEmbeddedTemplate } from '../tools/test-support/embedded-template';
import { type RealServices, startRealServices } from '../tools/test-support/services';

declare module 'vitest' {
  export interface ProvidedContext {
    services: RealServices;
    embeddedTemplate: string;
  }
}

/** Started once per run: the real-service adapters and the migrated PGlite template. */
export default async function setup(project: TestProject) {
  const [running, template] = await Promise.all([startRealServices(process.env), ensureEmbeddedTemplate()]);
  const { missing } = running.services;
  if (missing.length > 0) {
    const message = `Real-service suites need PostgreSQL and Redis: ${missing.join('; ')}`;
    if (process.env.CI === 'true') {
      await running.close();
      throw new Error(`${message}. CI=true: a missing service is a failure (.ci/run starts them).`);
    }
    console.warn(`\n[tests] SKIPPING real-service suites. ${message}.\n`);
  }
  project.provide('services', running.services);
  project.provide('embeddedTemplate', template);
  return () => running.close();
}
