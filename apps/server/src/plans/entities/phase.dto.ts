import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Length, Min } from 'class-validator';

export class CreatePhaseDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 128)
  id?: string;

  @ApiProperty({ example: 'Discovery' })
  @IsString()
  @Length(1, 300)
  title!: string;

  @ApiPropertyOptional({ description: 'display and roll-up order' })
  @IsOptional()
  @IsInt()
  @Min(0)
  order?: number;
}

export class UpdatePhaseDto extends PartialType(CreatePhaseDto) {}
