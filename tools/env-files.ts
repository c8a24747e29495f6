import { existsSync } from 'node:fs';
import { PROJECT_ROOT } from './paths';

/** Loads `.env.local`, then `.env`, if present; variables already set always win (loadEnvFile never overrides). */
export function loadEnvFiles(): void {
  for (const file of ['.env.local', '.env']) {
    if (existsSync(`${PROJECT_ROOT}/${file}`)) process.loadEnvFile(`${PROJECT_ROOT}/${file}`);
  }
}
