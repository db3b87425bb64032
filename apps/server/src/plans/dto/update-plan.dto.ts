import { ApiPropertyOptional } from '@nestjs/swagger';
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
import {
  CALENDAR_MODES,
  PLAN_STATUSES,
  type CalendarMode,
  type PlanStatus,
} from '@lib/plan-domain';
import { PlanCalendarDto } from './plan-calendar.dto';

/** `PATCH /plans/:id`: any subset of the plan's own fields; null clears an optional one. */
export class UpdatePlanDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 200)
  title?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(0, 5000)
  description?: string;

  @ApiPropertyOptional({ enum: PLAN_STATUSES })
  @IsOptional()
  @IsIn(PLAN_STATUSES)
  status?: PlanStatus;

  @ApiPropertyOptional({ description: 'plan start (ISO date)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  start?: string | null;

  @ApiPropertyOptional({ example: 'EUR' })
  @IsOptional()
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be a three-letter ISO 4217 code' })
  currency?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsNumber()
  @Min(0)
  budget?: number;

  @ApiPropertyOptional({ type: PlanCalendarDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => PlanCalendarDto)
  calendar?: PlanCalendarDto | null;

  @ApiPropertyOptional({
    enum: CALENDAR_MODES,
    description: 'count working days of the calendar, or every calendar day',
  })
  @IsOptional()
  @IsIn(CALENDAR_MODES)
  calendarMode?: CalendarMode | null;

  @ApiPropertyOptional({
    description: 'progress is reported as of this day (ISO date); earned value is measured then',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  statusDate?: string | null;
}
