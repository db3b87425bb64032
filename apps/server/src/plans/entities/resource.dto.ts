import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsIn, IsNumber, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { RESOURCE_KINDS, type ResourceKind } from '@lib/plan-domain';

export class CreateResourceDto {
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

  @ApiProperty({ example: 'Ken (business analyst)' })
  @IsString()
  @Length(1, 300)
  name!: string;

  @ApiProperty({ enum: RESOURCE_KINDS })
  @IsIn(RESOURCE_KINDS)
  kind!: ResourceKind;

  @ApiPropertyOptional({ minimum: 0, maximum: 24 })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(24)
  capacityHoursPerDay?: number;

  @ApiPropertyOptional({ minimum: 0 })
  @IsOptional()
  @IsNumber()
  @Min(0)
  costRatePerDay?: number;

  @ApiPropertyOptional({ description: 'budget resources: the amount available', minimum: 0 })
  @IsOptional()
  @IsNumber()
  @Min(0)
  amount?: number;
}

export class UpdateResourceDto extends PartialType(CreateResourceDto) {}
