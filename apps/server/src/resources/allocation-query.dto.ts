import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, Matches } from 'class-validator';
import { FreshnessQueryDto } from '../read-models/dto/read-model-query.dto';

export class AllocationQueryDto extends FreshnessQueryDto {
  @ApiPropertyOptional({
    example: '2027-03-01',
    description: 'only weeks ending on or after this day',
  })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'from must be a date YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'from must be an existing calendar date' })
  from?: string;

  @ApiPropertyOptional({
    example: '2027-04-30',
    description: 'only weeks starting on or before this day',
  })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'to must be a date YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'to must be an existing calendar date' })
  to?: string;
}
