import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, Length } from 'class-validator';
import { ROLES, type Role } from '@lib/auth';

export class GrantMemberDto {
  @ApiProperty({ example: 'bob' })
  @IsString()
  @Length(1, 200)
  userId!: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role!: Role;
}
