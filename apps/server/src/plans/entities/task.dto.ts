import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsNumber,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { WORK_STATUSES, type WorkStatus } from '@lib/plan-domain';
import { ConstraintDto } from './constraint.dto';
import { DependencyDto } from './dependency.dto';

export class CreateTaskDto {
  @ApiPropertyOptional({ description: 'task id; a UUID is generated when absent' })
  @IsOptional()
  @IsString()
  @Length(1, 128)
  id?: string;

  @ApiProperty({ example: 'Requirements catalogue' })
  @IsString()
  @Length(1, 300)
  title!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  phaseId?: string;

  @ApiPropertyOptional({ description: 'earliest start (ISO date)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  start?: string;

  @ApiProperty({ example: 5 })
  @IsInt()
  @Min(0)
  @Max(3650)
  durationDays!: number;

  @ApiPropertyOptional({ type: [DependencyDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => DependencyDto)
  dependsOn?: DependencyDto[];

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  assignees?: string[];

  @ApiPropertyOptional({ enum: WORK_STATUSES })
  @IsOptional()
  @IsIn(WORK_STATUSES)
  status?: WorkStatus;

  @ApiPropertyOptional({ minimum: 0, maximum: 100 })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(100)
  percentComplete?: number;

  @ApiPropertyOptional({ minimum: 0 })
  @IsOptional()
  @IsNumber()
  @Min(0)
  cost?: number;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  resourceIds?: string[];

  @ApiPropertyOptional({ type: ConstraintDto, description: 'ASAP when absent' })
  @IsOptional()
  @ValidateNested()
  @Type(() => ConstraintDto)
  constraint?: ConstraintDto;

  @ApiPropertyOptional({ description: 'first day worked (ISO date)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  actualStart?: string;

  @ApiPropertyOptional({ description: 'last day worked (ISO date); marks the task finished' })
  @IsOptional()
  @IsISO8601({ strict: true })
  actualFinish?: string;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: 1000,
    description: 'leveling delays lower priorities first; 500 when absent',
  })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(1000)
  priority?: number;
}

export class UpdateTaskDto extends PartialType(CreateTaskDto) {}
