/** Query strings of the read-model routes; every message names its field (400 otherwise). */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, Matches, Max, Min } from 'class-validator';
import {
  DEFAULT_HISTORY_LIMIT,
  HISTORY_CURSOR_PATTERN,
  MAX_HISTORY_LIMIT,
  type HistoryDirection,
} from '@lib/projections';

export class FreshnessQueryDto {
  @ApiPropertyOptional({
    description:
      'Read-your-writes: wait (at most 5 s, then 503) until the read model has projected this global position, e.g. the position your last edit was stored at',
    minimum: 0,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  minPosition?: number;

  @ApiPropertyOptional({
    description:
      'Read-your-writes by plan version: wait (at most 5 s, then 503) until the read model includes this stream version of the plan, e.g. the `version` an edit answered with',
    minimum: 0,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  minVersion?: number;
}

export class RiskRegisterQueryDto extends FreshnessQueryDto {
  @ApiProperty({
    required: false,
    example: '2027-03-15',
    description:
      'the day reviews are judged against and the exposure trend runs to (YYYY-MM-DD); default: the current UTC date',
  })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'today must be a date YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'today must be an existing calendar date' })
  today?: string;
}

export class HistoryQueryDto extends FreshnessQueryDto {
  @ApiPropertyOptional({
    description:
      "cursor: `1234` after the event at global position 1234, `1234:2` after its entry 2 (a page's `next`), `v17` from stream version 17",
    example: 'v17',
  })
  @IsOptional()
  @Matches(HISTORY_CURSOR_PATTERN, {
    message: 'from must be a position (1234), an entry cursor (1234:2) or a stream version (v17)',
  })
  from?: string;

  @ApiPropertyOptional({ default: DEFAULT_HISTORY_LIMIT, minimum: 1, maximum: MAX_HISTORY_LIMIT })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_HISTORY_LIMIT)
  limit?: number;

  @ApiPropertyOptional({
    enum: ['forwards', 'backwards'],
    default: 'forwards',
    description: 'backwards: newest first',
  })
  @IsOptional()
  @IsIn(['forwards', 'backwards'])
  direction?: HistoryDirection;
}
