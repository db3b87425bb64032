import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsISO8601,
  IsNumber,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { RESOURCE_KINDS, type ResourceKind } from '@lib/plan-domain';

export class VacationDto {
  @ApiProperty({ description: 'first day away (ISO date)' })
  @IsISO8601({ strict: true })
  from!: string;

  @ApiProperty({ description: 'last day away (ISO date)' })
  @IsISO8601({ strict: true })
  to!: string;
}

export class ResourceCalendarDto {
  @ApiProperty({ type: [VacationDto] })
  @IsArray()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => VacationDto)
  vacations!: VacationDto[];
}

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

  @ApiPropertyOptional({ type: ResourceCalendarDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ResourceCalendarDto)
  calendar?: ResourceCalendarDto;

  @ApiPropertyOptional({ minimum: 0, description: 'tasks it can work on at once; 1 when absent' })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(100)
  maxUnits?: number;
}

export class UpdateResourceDto extends PartialType(CreateResourceDto) {}
