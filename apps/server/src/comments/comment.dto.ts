/** Bodies and query of the comment routes; every message names its field (400 otherwise). */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsOptional,
  IsString,
  Length,
  Matches,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { COMMENT_TARGET_TYPES, MAX_COMMENT_TEXT_LENGTH, type EntityType } from '@lib/plan-domain';
import { FreshnessQueryDto } from '../read-models/dto/read-model-query.dto';

export class CommentTargetDto {
  @ApiProperty({ enum: COMMENT_TARGET_TYPES, example: 'task' })
  @IsIn(COMMENT_TARGET_TYPES)
  type!: EntityType;

  @ApiPropertyOptional({
    example: 't1',
    description: 'the item id; for the plan itself omit it (or give `meta` or the plan id)',
  })
  @ValidateIf((target: CommentTargetDto) => target.type !== 'plan' || target.id !== undefined)
  @IsString()
  @Length(1, 128)
  id?: string;
}

export class PostCommentDto {
  @ApiProperty({ type: CommentTargetDto })
  @ValidateNested()
  @Type(() => CommentTargetDto)
  target!: CommentTargetDto;

  @ApiProperty({
    example: '@ken can you take this one?',
    description: '`@userId` mentions notify those users on the feed',
  })
  @IsString()
  @Length(1, MAX_COMMENT_TEXT_LENGTH)
  text!: string;

  @ApiPropertyOptional({ description: 'the comment this one answers (same target)' })
  @IsOptional()
  @IsString()
  @Length(1, 128)
  parentId?: string;
}

export class EditCommentDto {
  @ApiProperty()
  @IsString()
  @Length(1, MAX_COMMENT_TEXT_LENGTH)
  text!: string;
}

export class CommentsQueryDto extends FreshnessQueryDto {
  @ApiPropertyOptional({
    example: 'task:t1',
    description: 'only threads about this item: `type:id`, or `plan`',
  })
  @IsOptional()
  @Matches(/^(plan|[a-z]+:.{1,128})$/, { message: 'target must be type:id (task:t1) or plan' })
  target?: string;

  @ApiPropertyOptional({ enum: ['open', 'resolved', 'all'], default: 'all' })
  @IsOptional()
  @IsIn(['open', 'resolved', 'all'])
  state?: 'open' | 'resolved' | 'all';
}
