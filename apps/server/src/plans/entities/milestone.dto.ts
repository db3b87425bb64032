import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsISO8601,
  IsOptional,
  IsString,
  Length,
  ValidateNested,
} from 'class-validator';
import { WORK_STATUSES, type WorkStatus } from '@lib/plan-domain';
import { DependencyDto } from './dependency.dto';

export class CreateMilestoneDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 128)
  id?: string;

  @ApiProperty({ example: 'Requirements signed off' })
  @IsString()
  @Length(1, 300)
  title!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  phaseId?: string;

  @ApiPropertyOptional({ type: [DependencyDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => DependencyDto)
  dependsOn?: DependencyDto[];

  @ApiPropertyOptional({ description: 'target date (ISO date)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  date?: string;

  @ApiPropertyOptional({ enum: WORK_STATUSES })
  @IsOptional()
  @IsIn(WORK_STATUSES)
  status?: WorkStatus;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  assignees?: string[];
}

export class UpdateMilestoneDto extends PartialType(CreateMilestoneDto) {}
