import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ProblemResponse } from '../errors/problem';

export interface DocsSpec {
  title: string;
  description: string;
  version: string;
  basePath: string;
  scopes: Record<string, string>;
}

/** Recursively sorts object keys, so equal JSON values serialize identically. */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/** Stable, sorted JSON so the committed spec only changes when the API does. */
export function stableJson(doc: unknown): string {
  return `${JSON.stringify(sortKeys(doc), null, 2)}\n`;
}

export function buildOpenApi(app: INestApplication, spec: DocsSpec): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle(spec.title)
    .setDescription(spec.description)
    .setVersion(spec.version)
    .setLicense('Apache-2.0', 'https://www.apache.org/licenses/LICENSE-2.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .addOAuth2({
      type: 'oauth2',
      flows: { clientCredentials: { tokenUrl: '/auth/token', scopes: spec.scopes } },
    })
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    extraModels: [ProblemResponse],
    operationIdFactory: (controllerKey: string, methodKey: string) =>
      `${controllerKey.replace(/Controller$/, '')}_${methodKey}`,
  });
  documentIdempotencyKey(document);
  return document;
}

/** Every mutating route of the API (not the token endpoint) takes an Idempotency-Key. */
function documentIdempotencyKey(document: OpenAPIObject): void {
  for (const [path, item] of Object.entries(document.paths)) {
    if (path.startsWith('/auth/')) continue;
    for (const operation of [item.post, item.put, item.patch]) {
      if (!operation) continue;
      operation.parameters = [
        ...(operation.parameters ?? []),
        {
          name: 'Idempotency-Key',
          in: 'header',
          required: false,
          description:
            'Makes a retry safe: the first response is stored (IDEMPOTENCY_TTL_HOURS, at least 24 h) and replayed (Idempotent-Replayed: true) for the same key and body; another body under the key is a 422, a request still running with it a 409.',
          schema: { type: 'string', maxLength: 255 },
        },
      ];
    }
  }
}
