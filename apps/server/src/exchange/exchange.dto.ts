/** Options of `POST /plans/import` (query string, or form fields of a multipart upload) and `GET /plans/:id/export`. */
import { BadRequestException } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { plainToInstance } from 'class-transformer';
import {
  IsIn,
  IsISO8601,
  IsOptional,
  IsString,
  Length,
  Matches,
  validateSync,
} from 'class-validator';
import { EXCHANGE_FORMATS, type ExchangeFormat } from '@lib/plan-exchange';

export class ImportPlanQueryDto {
  @ApiPropertyOptional({
    enum: EXCHANGE_FORMATS,
    description: 'default: from the file name, the content type, then the content',
  })
  @IsOptional()
  @IsIn(EXCHANGE_FORMATS, { message: `format must be one of ${EXCHANGE_FORMATS.join(', ')}` })
  format?: ExchangeFormat;

  @ApiPropertyOptional({
    description: "the new plan's id; a UUID when absent",
    example: 'warehouse-move',
  })
  @IsOptional()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/, {
    message: 'id must be 1–128 letters, digits, _ . - (starting with a letter or digit)',
  })
  id?: string;

  @ApiPropertyOptional({
    description: "the new plan's title; default: the file's (CSV: the file name)",
  })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  title?: string;

  @ApiPropertyOptional({
    description: 'plan start for CSV files (YYYY-MM-DD)',
    example: '2027-03-01',
  })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'start must be a date YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'start must be an existing calendar date' })
  start?: string;

  @ApiPropertyOptional({
    description: 'file name, for a raw body (else Content-Disposition or X-File-Name)',
  })
  @IsOptional()
  @IsString()
  @Length(1, 255)
  fileName?: string;
}

/** The query merged with a multipart upload's fields, checked like the query alone. */
export function importOptionsOf(
  query: ImportPlanQueryDto,
  fields: Readonly<Record<string, string>>,
): ImportPlanQueryDto {
  const known = Object.fromEntries(
    Object.entries(fields).filter(([key]) =>
      ['format', 'id', 'title', 'start', 'fileName'].includes(key),
    ),
  );
  const merged = plainToInstance(ImportPlanQueryDto, { ...query, ...known });
  const errors = validateSync(merged, { forbidUnknownValues: false });
  if (errors.length > 0) {
    throw new BadRequestException(
      errors
        .flatMap((e) =>
          Object.values(e.constraints ?? { [e.property]: `${e.property} is invalid` }),
        )
        .join('; '),
    );
  }
  return merged;
}

export class ExportPlanQueryDto {
  @ApiPropertyOptional({ enum: EXCHANGE_FORMATS, default: 'json' })
  @IsOptional()
  @IsIn(EXCHANGE_FORMATS, { message: `format must be one of ${EXCHANGE_FORMATS.join(', ')}` })
  format?: ExchangeFormat;
}

export class CalendarFeedQueryDto {
  @ApiPropertyOptional({ description: 'the feed token from POST /plans/:id/calendar-feed' })
  @IsOptional()
  @IsString()
  @Length(1, 512)
  token?: string;
}
