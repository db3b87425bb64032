import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsNumber, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { MAX_ACTUAL_COST } from '@lib/plan-domain';
import { FreshnessQueryDto } from '../read-models/dto/read-model-query.dto';

export class RecordActualCostDto {
  @ApiProperty({
    description: 'in the plan currency; negative corrects an earlier booking',
    example: 1200,
  })
  @IsNumber()
  @Min(-MAX_ACTUAL_COST)
  @Max(MAX_ACTUAL_COST)
  amount!: number;

  @ApiProperty({ description: 'the day the cost was incurred (ISO date)', example: '2027-03-04' })
  @IsISO8601({ strict: true })
  date!: string;

  @ApiPropertyOptional({ example: 'invoice 2027-118' })
  @IsOptional()
  @IsString()
  @Length(0, 500)
  note?: string;
}

export class EarnedValueQueryDto extends FreshnessQueryDto {
  @ApiPropertyOptional({
    description: "measure as of this day instead of the plan's statusDate (ISO date)",
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  statusDate?: string;
}
