import type { Stakeholder } from '../plan-json';
import { stakeholderUpdatesDue } from './stakeholder-updates';

const stakeholder = (id: string, cadence: Stakeholder['cadence']): Stakeholder => ({
  id,
  name: id.toUpperCase(),
  role: 'sponsor',
  influence: 5,
  interest: 5,
  channel: 'email',
  cadence,
});

describe('stakeholderUpdatesDue', () => {
  const base = {
    planStart: '2027-03-01',
    milestones: [{ id: 'm1', title: 'Sign-off', date: '2027-03-12' }],
  };

  it('given nobody was updated yet, when the plan has started, then interval cadences are due since the plan start', () => {
    const [weekly] = stakeholderUpdatesDue({
      ...base,
      stakeholders: [stakeholder('s1', 'weekly')],
      lastSent: {},
      today: '2027-03-03',
    });
    expect(weekly).toMatchObject({
      due: true,
      dueOn: '2027-03-01',
      overdueDays: 2,
      lastSentAt: null,
    });
  });

  it('given updates sent on 8 March, then weekly is due on the 15th, biweekly on the 22nd and monthly on 8 April', () => {
    const lastSent = {
      s1: '2027-03-08T10:00:00.000Z',
      s2: '2027-03-08T10:00:00.000Z',
      s3: '2027-03-08T10:00:00.000Z',
    };
    const due = stakeholderUpdatesDue({
      ...base,
      stakeholders: [
        stakeholder('s1', 'weekly'),
        stakeholder('s2', 'biweekly'),
        stakeholder('s3', 'monthly'),
      ],
      lastSent,
      today: '2027-03-15',
    });
    expect(due.map((d) => [d.stakeholderId, d.dueOn, d.due])).toEqual([
      ['s1', '2027-03-15', true],
      ['s2', '2027-03-22', false],
      ['s3', '2027-04-08', false],
    ]);
  });

  it('given a monthly update on 31 January, then the next is due on the last day of February', () => {
    const [monthly] = stakeholderUpdatesDue({
      ...base,
      stakeholders: [stakeholder('s1', 'monthly')],
      lastSent: { s1: '2027-01-31T10:00:00.000Z' },
      today: '2027-02-27',
    });
    expect(monthly).toMatchObject({ dueOn: '2027-02-28', due: false });
  });

  it('given a per-milestone stakeholder, when a milestone date passes after their last update, then they are due with it', () => {
    const input = {
      ...base,
      stakeholders: [stakeholder('s1', 'per-milestone')],
      lastSent: { s1: '2027-03-05T10:00:00.000Z' },
    };
    expect(stakeholderUpdatesDue({ ...input, today: '2027-03-10' })[0]).toMatchObject({
      due: false,
      dueOn: '2027-03-12',
      milestones: [],
    });
    expect(stakeholderUpdatesDue({ ...input, today: '2027-03-13' })[0]).toMatchObject({
      due: true,
      overdueDays: 1,
      milestones: [{ id: 'm1' }],
    });
  });
});
