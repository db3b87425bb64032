import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsISO8601,
  IsOptional,
  IsString,
  Length,
} from 'class-validator';

export class RecordStakeholderUpdateDto {
  @ApiProperty({ type: [String], example: ['s01', 's02'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @IsString({ each: true })
  @Length(1, 128, { each: true })
  stakeholderIds!: string[];

  @ApiPropertyOptional({ description: 'when it went out (ISO date or time); default: now' })
  @IsOptional()
  @IsISO8601({ strict: true })
  sentAt?: string;

  @ApiPropertyOptional({ example: 'weekly status report', description: 'what was sent' })
  @IsOptional()
  @IsString()
  @Length(0, 500)
  note?: string;
}
