import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsInt, IsString, Length, Max, Min } from 'class-validator';
import { DEPENDENCY_TYPES, type DependencyType } from '@lib/plan-domain';

export class DependencyDto {
  @ApiProperty({ description: 'the predecessor task or milestone' })
  @IsString()
  @Length(1, 128)
  taskId!: string;

  @ApiProperty({ enum: DEPENDENCY_TYPES })
  @IsIn(DEPENDENCY_TYPES)
  type!: DependencyType;

  @ApiProperty({ description: 'whole days; negative is lead time', default: 0 })
  @IsInt()
  @Min(-3650)
  @Max(3650)
  lagDays!: number;
}
