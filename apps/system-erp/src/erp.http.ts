import { applyDecorators, Get, Post, Put, type Type } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiParam } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiProblems, etagFor, RequireScopes } from '@revgate/platform';
import { ETAG_HEADER, IF_MATCH, LEGAL_ENTITY_PATH } from './common.dto';

/*
 * The shapes every ERP route of a kind shares: posting a document, looking one up by its external
 * id, upserting master data under its key, and how their answers carry status, ETag and Location.
 */

/** The path parameter that names the record within its legal entity. */
interface RouteKey {
  name: string;
  description: string;
  example?: string;
}

/** POST of a posting: 201 posted now, 200 posted before with this content. */
export const PostingRoute = (type: Type): MethodDecorator =>
  applyDecorators(
    Post(),
    RequireScopes('erp:write'),
    ApiCreatedResponse({ type, headers: ETAG_HEADER, description: 'Posted now' }),
    ApiOkResponse({
      type,
      headers: ETAG_HEADER,
      description: 'Posted before with this content: the first posting, as it is now',
    }),
    ApiProblems(400, 403, 409, 422, 502, 503),
  );

/** GET of a record of a legal entity by its key in the path (`key`: the parameter's name). */
export const LookupRoute = (type: Type, key: RouteKey): MethodDecorator =>
  applyDecorators(
    Get(`:legalEntity/:${key.name}`),
    RequireScopes('erp:read'),
    ApiParam(LEGAL_ENTITY_PATH),
    ApiParam(key),
    ApiOkResponse({ type, headers: ETAG_HEADER }),
    ApiProblems(400, 403, 404),
  );

/** PUT of master data of a legal entity under its key: 201 created, 200 changed or unchanged. */
export const UpsertRoute = (type: Type, key: RouteKey): MethodDecorator =>
  applyDecorators(
    Put(`:legalEntity/:${key.name}`),
    RequireScopes('erp:write'),
    ApiParam(LEGAL_ENTITY_PATH),
    ApiParam(key),
    ApiHeader(IF_MATCH),
    ApiCreatedResponse({ type, headers: ETAG_HEADER, description: 'Created' }),
    ApiOkResponse({ type, headers: ETAG_HEADER, description: 'Changed or unchanged' }),
    ApiProblems(400, 403, 404, 412, 422),
  );

/** The record with its ETag. */
export function withETag<T extends { version: number }>(reply: FastifyReply, record: T): T {
  void reply.header('etag', etagFor(record.version));
  return record;
}

/** A record PUT or POST made (201) or found (200), with its ETag. */
export function upserted<T extends { version: number }>(
  reply: FastifyReply,
  record: T,
  isNew: boolean,
): T {
  void reply.status(isNew ? 201 : 200);
  return withETag(reply, record);
}

/** A posting (201 posted now, 200 found), with its ETag and where to look it up. */
export function posted<T extends { version: number; legalEntity: string; externalId: string }>(
  reply: FastifyReply,
  collection: string,
  record: T,
  isNew: boolean,
): T {
  void reply.header(
    'location',
    `${collection}/${record.legalEntity}/${encodeURIComponent(record.externalId)}`,
  );
  return upserted(reply, record, isNew);
}
