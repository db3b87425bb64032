import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, Max, Min } from 'class-validator';

export class StateQueryDto {
  @ApiPropertyOptional({ description: 'stream version to read the plan at' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  version?: number;

  @ApiPropertyOptional({ description: 'ISO time to read the plan at' })
  @IsOptional()
  @IsISO8601({ strict: true })
  at?: string;
}

export class EventsQueryDto {
  @ApiPropertyOptional({ description: 'first stream version to return', default: 0 })
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

  @ApiPropertyOptional({
    enum: ['base64', 'none'],
    description: 'how PlanUpdated payloads are returned',
    default: 'base64',
  })
  @IsOptional()
  @IsIn(['base64', 'none'])
  binary?: 'base64' | 'none';
}
