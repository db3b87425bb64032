/** Query strings of the stakeholder routes that depend on a day; every message names its field. */
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, Length, Matches } from 'class-validator';
import { FreshnessQueryDto } from '../read-models/dto/read-model-query.dto';

export class DayQueryDto extends FreshnessQueryDto {
  @ApiPropertyOptional({
    example: '2027-03-15',
    description: 'the day to judge against (YYYY-MM-DD); default: the current UTC date',
  })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'today must be a date YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'today must be an existing calendar date' })
  today?: string;
}

export const REPORT_FORMATS = ['json', 'md', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export class StatusReportQueryDto extends DayQueryDto {
  @ApiPropertyOptional({
    example: '2027-03-08',
    description: 'start of the period (ISO date or time); default: 7 days before today',
  })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'since must be an ISO date or time' })
  since?: string;

  @ApiPropertyOptional({ example: 's01', description: 'stakeholder id or name the report is for' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  audience?: string;

  @ApiPropertyOptional({ enum: REPORT_FORMATS, default: 'json' })
  @IsOptional()
  @IsIn(REPORT_FORMATS)
  format?: ReportFormat;
}

/** the edge may read the clock; read models and report builders never do */
export const todayUtc = (): string => new Date().toISOString().slice(0, 10);

export function daysBefore(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00.000Z`) - days * 86_400_000)
    .toISOString()
    .slice(0, 10);
}
