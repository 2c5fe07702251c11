import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { QueryFailedError, Repository } from 'typeorm';
import {
  ApiError,
  decodeCursor,
  encodeCursor,
  expectedVersion,
  type Page,
  staleWrite,
  validationProblem,
} from '@revgate/platform';
import { U2rErrorCode } from '../u2r-error-code';
import { MeterEntity } from './meter.entity';
import type {
  CreateMeterRequest,
  ListMetersQuery,
  MeterResponse,
  UpdateMeterRequest,
} from './dto/meter.dto';

export function toMeterResponse(m: MeterEntity): MeterResponse {
  return {
    code: m.code,
    name: m.name,
    aggregation: m.aggregation,
    ...(m.uniqueProperty ? { uniqueProperty: m.uniqueProperty } : {}),
    unit: m.unit,
    latePolicy: m.latePolicy,
    version: m.version,
    createdAt: m.createdAt.toISOString(),
    updatedAt: m.updatedAt.toISOString(),
  };
}

const notFound = (code: string): ApiError =>
  new ApiError(404, U2rErrorCode.METER_NOT_FOUND, `Meter ${code} is not defined.`);

@Injectable()
export class MetersService {
  constructor(@InjectRepository(MeterEntity) private readonly meters: Repository<MeterEntity>) {}

  async create(request: CreateMeterRequest): Promise<MeterResponse> {
    if (request.uniqueProperty !== undefined && request.aggregation !== 'unique_count')
      throw validationProblem([
        { pointer: '/uniqueProperty', detail: 'uniqueProperty is only for a unique_count meter' },
      ]);
    const now = new Date();
    const meter = this.meters.create({
      code: request.code,
      name: request.name,
      aggregation: request.aggregation,
      uniqueProperty: request.uniqueProperty ?? null,
      unit: request.unit,
      latePolicy: request.latePolicy ?? 'carry_forward',
      version: 1,
      createdAt: now,
      updatedAt: now,
    });
    try {
      await this.meters.insert(meter);
    } catch (e) {
      if (e instanceof QueryFailedError && (e.driverError as { code?: string }).code === '23505')
        throw new ApiError(409, U2rErrorCode.METER_EXISTS, `Meter ${request.code} already exists.`);
      throw e;
    }
    return toMeterResponse(meter);
  }

  async get(code: string): Promise<MeterResponse> {
    const meter = await this.meters.findOneBy({ code });
    if (!meter) throw notFound(code);
    return toMeterResponse(meter);
  }

  async list(query: ListMetersQuery): Promise<Page<MeterResponse>> {
    const qb = this.meters
      .createQueryBuilder('m')
      .orderBy('m.code', 'ASC')
      .take(query.limit + 1);
    if (query.cursor) qb.where('m.code > :after', { after: decodeCursor(query.cursor, 1)[0] });
    const rows = await qb.getMany();
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return {
      data: page.map(toMeterResponse),
      nextCursor: rows.length > query.limit && last ? encodeCursor([last.code]) : null,
    };
  }

  async update(
    code: string,
    request: UpdateMeterRequest,
    ifMatch?: string,
  ): Promise<MeterResponse> {
    const expected = expectedVersion(ifMatch);
    return this.meters.manager.transaction(async (m) => {
      const meter = await m.findOne(MeterEntity, {
        where: { code },
        lock: { mode: 'pessimistic_write' },
      });
      if (!meter) throw notFound(code);
      if (expected !== undefined && expected !== meter.version)
        throw staleWrite('meter', meter.version);
      const changed =
        (request.name !== undefined && request.name !== meter.name) ||
        (request.unit !== undefined && request.unit !== meter.unit) ||
        (request.latePolicy !== undefined && request.latePolicy !== meter.latePolicy);
      if (!changed) return toMeterResponse(meter);
      Object.assign(meter, {
        ...(request.name === undefined ? {} : { name: request.name }),
        ...(request.unit === undefined ? {} : { unit: request.unit }),
        ...(request.latePolicy === undefined ? {} : { latePolicy: request.latePolicy }),
        version: meter.version + 1,
        updatedAt: new Date(),
      });
      await m.save(meter);
      return toMeterResponse(meter);
    });
  }
}
