import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { STAKEHOLDER_CADENCES, type StakeholderCadence } from '@lib/plan-domain';

export class CreateStakeholderDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 128)
  id?: string;

  @ApiPropertyOptional({
    description:
      'the person this personal data belongs to (default: the item id); with PERSONAL_DATA=sealed their name is sealed with this subject’s key and erased with it',
  })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  subjectId?: string;

  @ApiProperty({ example: 'Head of Sales' })
  @IsString()
  @Length(1, 300)
  name!: string;

  @ApiPropertyOptional({ example: 'sponsor' })
  @IsOptional()
  @IsString()
  role?: string;

  @ApiProperty({ minimum: 1, maximum: 5 })
  @IsInt()
  @Min(1)
  @Max(5)
  influence!: number;

  @ApiProperty({ minimum: 1, maximum: 5 })
  @IsInt()
  @Min(1)
  @Max(5)
  interest!: number;

  @ApiPropertyOptional({ example: 'email' })
  @IsOptional()
  @IsString()
  channel?: string;

  @ApiPropertyOptional({ enum: STAKEHOLDER_CADENCES })
  @IsOptional()
  @IsIn(STAKEHOLDER_CADENCES)
  cadence?: StakeholderCadence;
}

export class UpdateStakeholderDto extends PartialType(CreateStakeholderDto) {}
