import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildOpenApiDocumentOffline } from './openapi-document';

const ROOT = join(__dirname, '../../../..');
const SCHEMA_TYPES = join(ROOT, 'libs/api-client/src/schema.d.ts');

/** The client's types as openapi-typescript writes them for a document (a child process: it is ESM, Jest is not). */
function clientTypes(document: unknown): string {
  return execFileSync(process.execPath, [join(ROOT, 'scripts/api-client-types.mjs')], { input: JSON.stringify(document), encoding: 'utf8' });
}

describe('the typed API client (libs/api-client)', () => {
  // `npm run openapi:client` runs this with UPDATE_API_CLIENT=1 to write the file; otherwise it only compares.
  it('is generated from the current OpenAPI document', async () => {
    const generated = clientTypes(await buildOpenApiDocumentOffline());
    if (process.env.UPDATE_API_CLIENT) writeFileSync(SCHEMA_TYPES, generated);
    const committed = readFileSync(SCHEMA_TYPES, 'utf8');
    if (committed !== generated) {
      throw new Error('libs/api-client/src/schema.d.ts is out of date with the OpenAPI document: run `npm run openapi:client` and commit the result');
    }
  });
});
