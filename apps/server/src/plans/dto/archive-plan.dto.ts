import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';

export class ArchivePlanDto {
  @ApiPropertyOptional({ example: 'Rollout finished', description: 'kept in the change log' })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  reason?: string;
}

export class ListPlansQueryDto {
  @ApiPropertyOptional({
    enum: ['true', 'false'],
    default: 'false',
    description: 'archived plans are listed apart: `true` lists only them',
  })
  @IsOptional()
  @IsIn(['true', 'false'])
  archived?: 'true' | 'false';
}
