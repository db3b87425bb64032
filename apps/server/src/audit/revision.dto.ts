import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsOptional, IsString, Length, ValidateBy } from 'class-validator';

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** a stream version (integer ≥ 0, as a number or digits) or an ISO-8601 time with a zone */
export function isVersionOrTime(value: unknown): boolean {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0;
  if (typeof value !== 'string') return false;
  return /^\d+$/.test(value) || (ISO_TIME.test(value) && !Number.isNaN(Date.parse(value)));
}

/** the validated bound as EventSelection takes it: a number is a version, a string a time */
export function toBound(value: string | number | undefined): string | number | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'number' || /^\d+$/.test(value) ? Number(value) : value;
}

const IsVersionOrTime = () =>
  ValidateBy({
    name: 'isVersionOrTime',
    validator: {
      validate: isVersionOrTime,
      defaultMessage: (args) =>
        `${args?.property} must be a stream version (integer ≥ 0) or an ISO-8601 time with a zone`,
    },
  });

export class AttributionQueryDto {
  @ApiPropertyOptional({
    description: 'first version or time (inclusive)',
    example: '2027-03-01T09:00:00Z',
  })
  @IsOptional()
  @IsVersionOrTime()
  from?: string;

  @ApiPropertyOptional({ description: 'last version or time (inclusive)' })
  @IsOptional()
  @IsVersionOrTime()
  to?: string;

  @ApiPropertyOptional({ description: 'only this user’s changes' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  actor?: string;
}

export class RevertDto {
  @ApiPropertyOptional({
    description: 'revert only this user’s changes (default: everyone’s in the range)',
  })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  actor?: string;

  @ApiProperty({
    description: 'first version or time (inclusive)',
    oneOf: [{ type: 'integer' }, { type: 'string' }],
  })
  @IsDefined()
  @IsVersionOrTime()
  from!: string | number;

  @ApiPropertyOptional({
    description: 'last version or time (inclusive); default: up to now',
    oneOf: [{ type: 'integer' }, { type: 'string' }],
  })
  @IsOptional()
  @IsVersionOrTime()
  to?: string | number;
}
