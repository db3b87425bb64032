import { MembershipView } from './membership-view';

describe('calendar feeds in the membership view', () => {
  it('given a member issues feeds, then only the latest is current; revoking it, or revoking the member, ends it', () => {
    const view = new MembershipView();
    const at = '2027-03-01T08:00:00.000Z';
    view.apply(
      'p',
      {
        type: 'PlanImported',
        data: {
          planId: 'p',
          title: 'P',
          ownerId: 'olga',
          source: { format: 'csv', bytes: 1, sha256: 'x' },
          report: {},
        },
      },
      at,
    );
    view.apply('p', { type: 'MemberGranted', data: { userId: 'ana', role: 'viewer' } }, at);
    expect(view.roleOf('p', 'olga')).toBe('owner');
    view.apply('p', { type: 'CalendarFeedIssued', data: { userId: 'ana', feedId: 'f1' } }, at);
    view.apply('p', { type: 'CalendarFeedIssued', data: { userId: 'ana', feedId: 'f2' } }, at);
    expect(view.calendarFeedOf('p', 'ana')).toBe('f2');
    view.apply('p', { type: 'CalendarFeedRevoked', data: { userId: 'ana' } }, at);
    expect(view.calendarFeedOf('p', 'ana')).toBeUndefined();
    view.apply('p', { type: 'CalendarFeedIssued', data: { userId: 'ana', feedId: 'f3' } }, at);
    view.apply('p', { type: 'MemberRevoked', data: { userId: 'ana' } }, at);
    view.apply('p', { type: 'MemberGranted', data: { userId: 'ana', role: 'viewer' } }, at);
    expect(view.calendarFeedOf('p', 'ana')).toBeUndefined();
  });
});
