import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsISO8601,
  IsNumber,
  IsOptional,
  IsString,
  Length,
  Matches,
  Min,
  ValidateNested,
} from 'class-validator';
import { CALENDAR_MODES, type CalendarMode } from '@lib/plan-domain';
import { PlanCalendarDto } from './plan-calendar.dto';

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

  @ApiPropertyOptional({
    enum: CALENDAR_MODES,
    default: 'working-days',
    description: 'durations count working days of the calendar (default) or every calendar day',
  })
  @IsOptional()
  @IsIn(CALENDAR_MODES)
  calendarMode?: CalendarMode;

  @ApiPropertyOptional({
    type: PlanCalendarDto,
    description: 'Mon–Fri without holidays when absent',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => PlanCalendarDto)
  calendar?: PlanCalendarDto;
}
