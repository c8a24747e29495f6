import { config, describe, optional, type ZodMiniType } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

/**
 * The one import of zod for schemas a function runs (`import * as z from '../zod'`): zod/mini, about a
 * tenth of classic zod to load at cold start, with classic zod's English messages, which clients read
 * in 422s. The OpenAPI document and the report schema use classic zod; both build on one core, so they mix.
 */
config(en());

export * from 'zod/mini';

/**
 * A schema built on first use: building one costs cold-start time (zod's constructors define each
 * schema's internals), and a function uses one or two of the schemas its modules declare.
 */
export function lazySchema<T>(build: () => T): () => T {
  let built: T | undefined;
  return () => {
    built ??= build();
    return built;
  };
}

/** An optional field with its description (the OpenAPI document shows it). */
export const optionalDescribed = <T extends ZodMiniType>(schema: T, description: string) =>
  optional(schema).check(describe(description));
