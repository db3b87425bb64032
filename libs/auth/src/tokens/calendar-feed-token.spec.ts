import { CalendarFeedTokens } from './calendar-feed-token';

describe('calendar feed tokens', () => {
  const tokens = new CalendarFeedTokens('a-secret-that-is-at-least-32-characters');
  const claim = { userId: 'ana@example.com', feedId: CalendarFeedTokens.newFeedId() };

  it('given a minted token, when read for its plan, then it names the user and the feed', () => {
    expect(tokens.read('crm', tokens.mint('crm', claim))).toEqual(claim);
  });

  it('given a token, when read for another plan, with another secret, or changed in any part, then it is not accepted', () => {
    const token = tokens.mint('crm', claim);
    expect(tokens.read('other', token)).toBeUndefined();
    expect(
      new CalendarFeedTokens('another-secret-that-is-at-least-32-chars').read('crm', token),
    ).toBeUndefined();
    const [user, feed, signature] = token.split('.');
    const mallory = Buffer.from('mallory').toString('base64url');
    expect(tokens.read('crm', `${mallory}.${feed}.${signature}`)).toBeUndefined();
    expect(
      tokens.read('crm', `${user}.${CalendarFeedTokens.newFeedId()}.${signature}`),
    ).toBeUndefined();
    expect(tokens.read('crm', `${user}.${feed}.${signature.slice(1)}`)).toBeUndefined();
    expect(tokens.read('crm', 'not-a-token')).toBeUndefined();
  });
});
