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
  return SwaggerModule.createDocument(app, config, {
    extraModels: [ProblemResponse],
    operationIdFactory: (controllerKey: string, methodKey: string) =>
      `${controllerKey.replace(/Controller$/, '')}_${methodKey}`,
  });
}
