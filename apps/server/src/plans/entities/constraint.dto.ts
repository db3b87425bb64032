import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, ValidateIf } from 'class-validator';
import { CONSTRAINT_TYPES, type ConstraintType } from '@lib/plan-domain';

export class ConstraintDto {
  @ApiProperty({ enum: CONSTRAINT_TYPES })
  @IsIn(CONSTRAINT_TYPES)
  type!: ConstraintType;

  @ApiPropertyOptional({ description: 'the constraint date; required except for ASAP and ALAP' })
  @ValidateIf((c: ConstraintDto) => c.type !== 'ASAP' && c.type !== 'ALAP')
  @IsISO8601({ strict: true })
  date?: string;
}
