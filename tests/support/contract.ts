import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { default as addFormats } from 'ajv-formats';
import { PROJECT_ROOT } from '../../tools/paths';

type Json = Record<string, unknown>;
type Operation = { operationId: string; responses: Record<string, DocumentedResponse> };
type DocumentedResponse = {
  description: string;
  headers?: Record<string, { required?: boolean; schema?: Json }>;
  content?: Record<string, { schema: Json }>;
};
export type OpenApiDocument = { openapi: string; paths: Record<string, Record<string, Operation>> } & Json;

const METHODS = ['get', 'post', 'patch', 'put', 'delete'] as const;

/** `@redocly/cli lint` of a document with the repo's redocly.yaml: its problems, errors and warnings. */
export async function redoclyLint(document: OpenApiDocument) {
  const file = join(mkdtempSync(join(tmpdir(), 'openapi-')), 'openapi.json');
  writeFileSync(file, JSON.stringify(document));
  const cli = join(PROJECT_ROOT, 'node_modules', '.bin', 'redocly');
  const run = await promisify(execFile)(
    cli,
    ['lint', file, '--format=json', `--config=${join(PROJECT_ROOT, 'redocly.yaml')}`],
    {
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
      timeout: 120_000,
    },
  ).catch((error: { stdout?: string; code?: number }) => ({
    stdout: error.stdout ?? '',
    exitCode: error.code,
  }));
  const report = JSON.parse(run.stdout) as {
    totals: { errors: number; warnings: number };
    problems: { ruleId: string; message: string; location: { pointer: string }[] }[];
  };
  return report;
}

/**
 * Checks real responses against the document with ajv (JSON Schema draft 2020-12): the status is one
 * the operation documents (a 5xx may be its `default`), each required header is present, the content
 * type is documented, and the body validates against its schema. Records what each operation was seen
 * answering, for the coverage check.
 */
export class ContractChecker {
  readonly seen = new Map<string, Set<string>>();
  readonly #ajv: Ajv2020;
  readonly #byId = new Map<string, { method: string; path: string; operation: Operation }>();

  constructor(readonly document: OpenApiDocument) {
    this.#ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(this.#ajv);
    this.#ajv.addFormat('binary', true);
    this.#ajv.addSchema(document, 'openapi.json');
    for (const [path, item] of Object.entries(document.paths))
      for (const method of METHODS) {
        const operation = item[method];
        if (operation) this.#byId.set(operation.operationId, { method, path, operation });
      }
  }

  operation(operationId: string) {
    const found = this.#byId.get(operationId);
    if (!found) throw new Error(`no operation ${operationId} in the document`);
    return found;
  }

  get operationIds(): string[] {
    return [...this.#byId.keys()];
  }

  /** A validator for a schema of the document, by JSON pointer (e.g. `#/components/schemas/Kpi`). */
  schema(pointer: string) {
    const validate = this.#ajv.getSchema(`openapi.json${pointer}`);
    if (!validate) throw new Error(`no schema at ${pointer}`);
    return validate;
  }

  /** The methods the document lists for a path. */
  methodsOf(path: string): string[] {
    return METHODS.filter((method) => this.document.paths[path]?.[method]).map((m) => m.toUpperCase());
  }

  /** Validates one response of `operationId`; answers its body (parsed JSON, text, or null). */
  async check(operationId: string, response: Response): Promise<unknown> {
    const { method, path, operation } = this.operation(operationId);
    const status = String(response.status);
    const where = `${operationId} (${method.toUpperCase()} ${path}) answered ${status}`;
    const documented =
      operation.responses[status] ?? (response.status >= 500 ? operation.responses.default : undefined);
    if (!documented) throw new Error(`${where}: not documented`);
    const seen = this.seen.get(operationId) ?? new Set<string>();
    seen.add(status);
    this.seen.set(operationId, seen);

    for (const [name, header] of Object.entries(documented.headers ?? {}))
      if (header.required && response.headers.get(name) === null)
        throw new Error(`${where}: the documented header ${name} is missing`);

    const text = await response.text();
    const type = (response.headers.get('content-type') ?? '').split(';')[0]?.trim() ?? '';
    if (!documented.content) {
      if (text !== '') throw new Error(`${where}: a body where the document says none`);
      return null;
    }
    const media = documented.content[type];
    if (!media) throw new Error(`${where}: content type "${type}" not documented`);
    const body = type.endsWith('json') ? JSON.parse(text) : text;
    const pointer = `#/paths/${pointerPart(path)}/${method}/responses/${status in operation.responses ? status : 'default'}/content/${pointerPart(type)}/schema`;
    const validate = this.#ajv.getSchema(`openapi.json${pointer}`);
    if (!validate) throw new Error(`${where}: no schema at ${pointer}`);
    if (!validate(body))
      throw new Error(
        `${where}: the body does not match its schema: ${this.#ajv.errorsText(validate.errors, { separator: '; ' })}`,
      );
    return body;
  }
}

const pointerPart = (part: string) => part.replaceAll('~', '~0').replaceAll('/', '~1');
