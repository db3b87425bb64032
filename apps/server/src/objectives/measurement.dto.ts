import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsNumber, IsOptional } from 'class-validator';

export class RecordMeasurementDto {
  @ApiProperty({ example: 12.5, description: "the KPI's value, in the objective's unit" })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  value!: number;

  @ApiPropertyOptional({
    example: '2027-03-14T17:00:00Z',
    description: 'when it was measured (ISO date or time); default: now',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  at?: string;
}
