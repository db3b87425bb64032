/**
 * The communication plan: each stakeholder gets an update on their channel at their cadence
 * (weekly, biweekly, monthly, per-milestone). Sent updates are facts in the plan stream
 * (`StakeholderUpdateSent`); from them and "today" this says who is due one. Pure.
 *
 * Interval cadences are due one interval after the last update (a calendar month for monthly,
 * same day of month, clamped to the month's end), and from the plan start when none was sent.
 * Per-milestone stakeholders are due once a milestone's date has come since their last update:
 * a milestone missed is news as much as one hit.
 */
import type { IsoDate, Stakeholder, StakeholderCadence } from '../plan-json';
import { epochDayOf, epochDayOfInstant, isoDateOfEpochDay } from '../scheduling/calendar-days';

export const STAKEHOLDER_UPDATE_SENT = 'StakeholderUpdateSent';

export interface StakeholderUpdateSentData {
  readonly stakeholderIds: readonly string[];
  /** when the update went out (ISO time) */
  readonly sentAt: string;
  /** what was sent, for the record (e.g. `status report since 2027-03-08`) */
  readonly note?: string;
}

/** A milestone's date as the schedule has it now. */
export interface MilestoneDate {
  readonly id: string;
  readonly title: string;
  readonly date: IsoDate;
}

export interface StakeholderUpdateDue {
  readonly stakeholderId: string;
  readonly name: string;
  readonly role: string;
  readonly channel: string;
  readonly cadence: StakeholderCadence;
  readonly lastSentAt: string | null;
  /** when the next update is (or was) due; null for per-milestone with no milestone to come */
  readonly dueOn: IsoDate | null;
  readonly due: boolean;
  /** days since dueOn when due, else 0 */
  readonly overdueDays: number;
  /** per-milestone: the milestones reached since the last update */
  readonly milestones: readonly MilestoneDate[];
}

export interface StakeholderUpdatesInput {
  readonly stakeholders: readonly Stakeholder[];
  /** latest update sent per stakeholder id (ISO time) */
  readonly lastSent: Readonly<Record<string, string>>;
  readonly milestones: readonly MilestoneDate[];
  readonly planStart: IsoDate;
  readonly today: IsoDate;
}

const INTERVAL_DAYS: Readonly<
  Record<Exclude<StakeholderCadence, 'monthly' | 'per-milestone'>, number>
> = { weekly: 7, biweekly: 14 };

export function stakeholderUpdatesDue(input: StakeholderUpdatesInput): StakeholderUpdateDue[] {
  const today = epochDayOf(input.today);
  const planStart = epochDayOf(input.planStart);
  return input.stakeholders.map((s) => {
    const cadence: StakeholderCadence = isCadence(s.cadence) ? s.cadence : 'monthly';
    const lastSentAt = Object.hasOwn(input.lastSent, s.id) ? input.lastSent[s.id] : null;
    const lastDay = epochDayOfInstant(lastSentAt);
    let dueDay: number | null;
    let milestones: MilestoneDate[] = [];
    if (cadence === 'per-milestone') {
      const dated = input.milestones
        .map((m) => ({ m, day: epochDayOf(m.date) }))
        .filter(
          (x): x is { m: MilestoneDate; day: number } =>
            x.day !== null && (lastDay === null || x.day > lastDay),
        )
        .sort((a, b) => a.day - b.day);
      milestones = dated.filter((x) => today !== null && x.day <= today).map((x) => x.m);
      dueDay = dated[0]?.day ?? null;
    } else if (lastDay === null) {
      dueDay = planStart;
    } else {
      dueDay = cadence === 'monthly' ? addMonth(lastDay) : lastDay + INTERVAL_DAYS[cadence];
    }
    const due = today !== null && dueDay !== null && dueDay <= today;
    return {
      stakeholderId: s.id,
      name: text(s.name),
      role: text(s.role),
      channel: text(s.channel),
      cadence,
      lastSentAt,
      dueOn: dueDay === null ? null : isoDateOfEpochDay(dueDay),
      due,
      overdueDays: due ? today! - dueDay! : 0,
      milestones,
    };
  });
}

function addMonth(epochDay: number): number {
  const date = isoDateOfEpochDay(epochDay);
  const [year, month, day] = [
    Number(date.slice(0, 4)),
    Number(date.slice(5, 7)),
    Number(date.slice(8, 10)),
  ];
  const nextYear = month === 12 ? year + 1 : year;
  const nextMonth = month === 12 ? 1 : month + 1;
  const lastOfMonth = new Date(Date.UTC(nextYear, nextMonth, 0)).getUTCDate();
  return Date.UTC(nextYear, nextMonth - 1, Math.min(day, lastOfMonth)) / 86_400_000;
}

const CADENCES: readonly string[] = ['weekly', 'biweekly', 'monthly', 'per-milestone'];
const isCadence = (value: unknown): value is StakeholderCadence =>
  typeof value === 'string' && CADENCES.includes(value);
const text = (value: unknown): string => (typeof value === 'string' ? value : '');
