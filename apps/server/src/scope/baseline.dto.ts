import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

export class CaptureBaselineDto {
  @ApiProperty({ example: 'Signed off by the steering group' })
  @IsString()
  @Length(1, 200)
  name!: string;
}
