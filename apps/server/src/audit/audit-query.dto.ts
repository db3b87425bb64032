import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';

export class PublicKeyQueryDto {
  @ApiPropertyOptional({ enum: ['json', 'pem'], default: 'json' })
  @IsOptional()
  @IsIn(['json', 'pem'])
  format?: 'json' | 'pem';
}

export class AccessLogQueryDto {
  @ApiPropertyOptional({ description: 'first access-log version to return', default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  fromVersion?: number;

  @ApiPropertyOptional({ default: 100, maximum: 1000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

export class RetentionDto {
  @ApiProperty({
    description: 'days the plan’s history is kept after it is archived',
    minimum: 1,
    maximum: 36500,
  })
  @IsInt()
  @Min(1)
  @Max(36500)
  retainDays!: number;
}
