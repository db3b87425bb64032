import {
  CommentNotFoundError,
  InvalidCommentError,
  NotCommentAuthorError,
  decideEditComment,
  decidePostComment,
  decideResolveComment,
  editedComment,
  newlyMentioned,
  postedComment,
  resolvedComment,
  type Comment,
} from './comment';
import { threadsOf } from './comment-threads';
import { parseMentions } from './mentions';

const task = { type: 'task', id: 't1' } as const;
const at = (minute: number) => `2027-03-10T09:${String(minute).padStart(2, '0')}:00.000Z`;

function post(
  commentId: string,
  author: string,
  text: string,
  minute: number,
  parent?: Comment,
): Comment {
  const data = decidePostComment(
    { commentId, target: parent?.target ?? task, parentId: parent?.commentId, text, author },
    { targetExists: true, parent },
  );
  return postedComment(data, parent, { actor: author, at: at(minute) });
}

describe('parseMentions', () => {
  it('given text with @ids, then each id is listed once in order, without a trailing full stop', () => {
    expect(parseMentions('@ana please check with @raj.q and @ana again, thanks @bob.')).toEqual([
      'ana',
      'raj.q',
      'bob',
    ]);
  });

  it('given an e-mail address or a lone @, then nobody is mentioned', () => {
    expect(parseMentions('mail ana@example.com or write @ alone')).toEqual([]);
  });
});

describe('comment deciders', () => {
  it('given a task the plan has, when someone posts on it, then the event carries the trimmed text and its mentions', () => {
    expect(
      decidePostComment(
        { commentId: 'c1', target: task, text: '  @ken can you own this?  ', author: 'ana' },
        { targetExists: true },
      ),
    ).toEqual({
      commentId: 'c1',
      target: task,
      text: '@ken can you own this?',
      mentions: ['ken'],
    });
  });

  it('given an unknown target, an empty text or a missing parent, then the command is refused naming the field', () => {
    expect(() =>
      decidePostComment(
        { commentId: 'c1', target: task, text: 'x', author: 'ana' },
        { targetExists: false },
      ),
    ).toThrow(/^target /);
    expect(() =>
      decidePostComment(
        { commentId: 'c1', target: task, text: '   ', author: 'ana' },
        { targetExists: true },
      ),
    ).toThrow(InvalidCommentError);
    expect(() =>
      decidePostComment(
        { commentId: 'c2', target: task, parentId: 'nope', text: 'x', author: 'ana' },
        { targetExists: true },
      ),
    ).toThrow(/^parentId /);
  });

  it('given a thread on t1, when a reply names another target, then it is refused', () => {
    const root = post('c1', 'ana', 'first', 1);
    expect(() =>
      decidePostComment(
        {
          commentId: 'c2',
          target: { type: 'risk', id: 'r1' },
          parentId: 'c1',
          text: 'x',
          author: 'ken',
        },
        { targetExists: true, parent: root },
      ),
    ).toThrow(/parent comment's target task t1/);
  });

  it('given a comment by ana, when ken edits it, then he is refused; when ana edits it, then the edit keeps the old text', () => {
    const comment = post('c1', 'ana', 'draft', 1);
    expect(() =>
      decideEditComment(comment, { commentId: 'c1', text: 'mine now', editor: 'ken' }),
    ).toThrow(NotCommentAuthorError);
    expect(() =>
      decideEditComment(undefined, { commentId: 'c9', text: 'x', editor: 'ana' }),
    ).toThrow(CommentNotFoundError);
    expect(
      decideEditComment(comment, { commentId: 'c1', text: 'draft', editor: 'ana' }),
    ).toBeNull();
    const data = decideEditComment(comment, {
      commentId: 'c1',
      text: 'final, @raj',
      editor: 'ana',
    })!;
    const edited = editedComment(comment, data, { actor: 'ana', at: at(5) });
    expect(edited).toMatchObject({
      text: 'final, @raj',
      mentions: ['raj'],
      editedAt: at(5),
      revisions: [{ text: 'draft', at: at(1) }],
    });
    expect(newlyMentioned(comment, edited)).toEqual(['raj']);
  });

  it('given a thread, when a reply is resolved, then it is refused; when its first comment is resolved twice, then only the first records anything', () => {
    const root = post('c1', 'ana', 'first', 1);
    const reply = post('c2', 'ken', 'second', 2, root);
    expect(() => decideResolveComment(reply, 'c2')).toThrow(
      /resolve its thread's first comment c1/,
    );
    expect(decideResolveComment(root, 'c1')).toEqual({ commentId: 'c1' });
    expect(
      decideResolveComment(resolvedComment(root, { actor: 'ken', at: at(3) }), 'c1'),
    ).toBeNull();
  });
});

describe('threadsOf', () => {
  it('given a comment, a reply and a reply to the reply, then they form one thread in log order with its latest activity', () => {
    const root = post('c1', 'ana', 'first', 1);
    const reply = post('c2', 'ken', 'second', 2, root);
    const nested = post('c3', 'ana', 'third', 4, reply);
    const other = post('c4', 'raj', 'elsewhere', 3);
    const [thread, second] = threadsOf([
      resolvedComment(root, { actor: 'ken', at: at(6) }),
      reply,
      other,
      nested,
    ]);
    expect(thread).toMatchObject({
      threadId: 'c1',
      resolved: true,
      commentCount: 3,
      lastActivityAt: at(6),
    });
    expect(thread.replies.map((c) => c.commentId)).toEqual(['c2', 'c3']);
    expect(nested.threadId).toBe('c1');
    expect(second).toMatchObject({ threadId: 'c4', resolved: false, commentCount: 1 });
  });
});
