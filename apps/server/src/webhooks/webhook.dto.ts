import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Length, Min, ValidateBy } from 'class-validator';

const MAX_ITEMS = 1000;

/** `'*'` or a non-empty list of short strings: plan ids, event or change types */
const IsAllOrList = () =>
  ValidateBy({
    name: 'isAllOrList',
    validator: {
      validate: (value: unknown) =>
        value === '*' ||
        (Array.isArray(value) &&
          value.length > 0 &&
          value.length <= MAX_ITEMS &&
          value.every((v) => typeof v === 'string' && v.length > 0 && v.length <= 200)),
      defaultMessage: (args) =>
        `${args?.property} must be '*' or a list of 1–${MAX_ITEMS} non-empty strings`,
    },
  });

const ALL_OR_LIST = {
  oneOf: [
    { type: 'string', enum: ['*'] },
    { type: 'array', items: { type: 'string' } },
  ],
};

export class CreateWebhookDto {
  @ApiProperty({ example: 'https://dashboard.example.com/hooks/plans' })
  @IsString()
  @Length(1, 2000)
  url!: string;

  @ApiProperty({ ...ALL_OR_LIST, description: "plan ids, or '*' for every plan you own" })
  @IsAllOrList()
  plans!: string[] | '*';

  @ApiPropertyOptional({
    ...ALL_OR_LIST,
    description: "event types (MemberGranted) or change types (TaskAdded); default '*'",
  })
  @IsOptional()
  @IsAllOrList()
  kinds?: string[] | '*';

  @ApiProperty({ description: 'HMAC-SHA256 key for the signature header', minLength: 16 })
  @IsString()
  @Length(16, 200)
  secret!: string;

  @ApiPropertyOptional({
    description: 'deliver changes after this global position (default: only changes from now on)',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  from?: number;
}
