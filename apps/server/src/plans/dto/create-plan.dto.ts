import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsNumber, IsOptional, IsString, Length, Matches, Min } from 'class-validator';

export class CreatePlanDto {
  @ApiPropertyOptional({
    description: 'plan id; a UUID is generated when absent',
    example: 'crm-rollout',
  })
  @IsOptional()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/, {
    message: 'id must be 1–128 letters, digits, _ . - (starting with a letter or digit)',
  })
  id?: string;

  @ApiProperty({ example: 'CRM system rollout' })
  @IsString()
  @Length(1, 200)
  title!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(0, 5000)
  description?: string;

  @ApiPropertyOptional({
    description: 'plan start (ISO date); schedules count days from it',
    example: '2027-03-01',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  start?: string;

  @ApiPropertyOptional({ example: 'EUR' })
  @IsOptional()
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be a three-letter ISO 4217 code' })
  currency?: string;

  @ApiPropertyOptional({ example: 420000 })
  @IsOptional()
  @IsNumber()
  @Min(0)
  budget?: number;
}
