import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
} from 'class-validator';
import {
  RISK_RESPONSES,
  RISK_STATUSES,
  type RiskResponse,
  type RiskStatus,
} from '@lib/plan-domain';

export class CreateRiskDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 128)
  id?: string;

  @ApiProperty({ example: 'Legacy data quality worse than assumed' })
  @IsString()
  @Length(1, 300)
  title!: string;

  @ApiPropertyOptional({ example: 'data' })
  @IsOptional()
  @IsString()
  category?: string;

  @ApiProperty({ minimum: 1, maximum: 5 })
  @IsInt()
  @Min(1)
  @Max(5)
  probability!: number;

  @ApiProperty({ minimum: 1, maximum: 5 })
  @IsInt()
  @Min(1)
  @Max(5)
  impact!: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  owner?: string;

  @ApiPropertyOptional({ enum: RISK_RESPONSES })
  @IsOptional()
  @IsIn(RISK_RESPONSES)
  response?: RiskResponse;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(0, 5000)
  mitigation?: string;

  @ApiPropertyOptional({ enum: RISK_STATUSES })
  @IsOptional()
  @IsIn(RISK_STATUSES)
  status?: RiskStatus;

  @ApiPropertyOptional()
  @IsOptional()
  @IsISO8601({ strict: true })
  reviewDate?: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsString({ each: true })
  linkedTaskIds?: string[];
}

export class UpdateRiskDto extends PartialType(CreateRiskDto) {}
