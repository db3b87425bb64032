import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';

export class CalendarHolidayDto {
  @ApiProperty({ example: '2027-12-25' })
  @IsISO8601({ strict: true })
  date!: string;

  @ApiPropertyOptional({ example: 'Christmas Day' })
  @IsOptional()
  @IsString()
  @Length(0, 200)
  name?: string;
}

export class CalendarExceptionDto extends CalendarHolidayDto {
  @ApiProperty({ description: 'true: a working day against the weekly pattern; false: a day off' })
  @IsBoolean()
  working!: boolean;
}

/** `meta.calendar`: the plan's working days. */
export class PlanCalendarDto {
  @ApiProperty({
    description: 'ISO weekdays that work, 1 = Monday … 7 = Sunday',
    example: [1, 2, 3, 4, 5],
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(7)
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(7, { each: true })
  workingWeekdays!: number[];

  @ApiPropertyOptional({ type: [CalendarHolidayDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => CalendarHolidayDto)
  holidays?: CalendarHolidayDto[];

  @ApiPropertyOptional({ type: [CalendarExceptionDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => CalendarExceptionDto)
  exceptions?: CalendarExceptionDto[];
}
