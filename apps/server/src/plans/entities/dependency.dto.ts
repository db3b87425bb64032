import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Expose, Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { DEPENDENCY_TYPES, LAG_KINDS, type DependencyType, type LagKind } from '@lib/plan-domain';

/** `5d` is five working days, `5ed` five elapsed (calendar) days, `-2d` a two-day lead. */
const LAG_TEXT = /^(-?\d{1,4})(e?)d$/;

/** A lag in its text form wins over lagDays/lagKind; text that does not parse fails lagDays. */
function fromLagText(obj: Record<string, unknown>, part: 'days' | 'kind'): unknown {
  if (obj.lag === undefined) return part === 'days' ? obj.lagDays : obj.lagKind;
  const match = typeof obj.lag === 'string' ? LAG_TEXT.exec(obj.lag.trim()) : null;
  if (match === null) return part === 'days' ? obj.lag : undefined;
  return part === 'days' ? Number(match[1]) : match[2] === 'e' ? 'elapsed' : 'working';
}

export class DependencyDto {
  @ApiProperty({ description: 'the predecessor task or milestone' })
  @IsString()
  @Length(1, 128)
  taskId!: string;

  @ApiProperty({ enum: DEPENDENCY_TYPES })
  @IsIn(DEPENDENCY_TYPES)
  type!: DependencyType;

  @ApiProperty({ description: 'whole days; negative is lead time', default: 0 })
  // exposed, so the transform also runs when only `lag` was sent
  @Expose()
  @Transform(({ obj }) => fromLagText(obj as Record<string, unknown>, 'days'))
  @IsInt({ message: 'lagDays must be a whole number (or lag a text like 5d or 5ed)' })
  @Min(-3650)
  @Max(3650)
  lagDays!: number;

  @ApiPropertyOptional({
    enum: LAG_KINDS,
    description: 'working days of the plan calendar (default) or elapsed calendar days',
  })
  @Expose()
  @Transform(({ obj }) => fromLagText(obj as Record<string, unknown>, 'kind'))
  @IsOptional()
  @IsIn(LAG_KINDS)
  lagKind?: LagKind;

  @ApiPropertyOptional({
    description: 'the lag as text instead of lagDays/lagKind: 5d working, 5ed elapsed days',
    example: '5ed',
  })
  // read into lagDays/lagKind above; not stored itself
  @Transform(() => undefined)
  @IsOptional()
  lag?: string;
}
