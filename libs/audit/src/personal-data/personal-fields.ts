/**
 * Which plan fields hold personal data, and whose: the names of stakeholders and resources
 * (people, usually) and how a stakeholder is reached (`channel`: an e-mail address, a phone).
 * The subject is the `subjectId` given with the write, else the one already sealed in the
 * field, else the item's id.
 */
import type { CollectionName } from '@lib/plan-domain';
import { findSealedTokens } from './sealed-text';
import type { PersonalData } from './personal-data';

export const PERSONAL_FIELDS: Readonly<Partial<Record<CollectionName, readonly string[]>>> = {
  stakeholders: ['name', 'channel'],
  resources: ['name'],
};

/**
 * `input` (a create or patch body, `subjectId` included) with its personal fields sealed and
 * `subjectId` dropped; `current` is the item as stored, for a patch.
 */
export async function sealPersonalFields(
  personalData: PersonalData,
  collection: CollectionName,
  entityId: string,
  input: Readonly<Record<string, unknown>>,
  current?: Readonly<Record<string, unknown>>,
): Promise<Record<string, unknown>> {
  const { subjectId, ...rest } = input;
  const fields: Record<string, unknown> = { ...rest };
  const personal = PERSONAL_FIELDS[collection] ?? [];
  for (const field of personal) {
    const value = fields[field];
    if (typeof value !== 'string') continue;
    const stored = current?.[field];
    const subject =
      typeof subjectId === 'string'
        ? subjectId
        : ((typeof stored === 'string' ? findSealedTokens(stored)[0]?.subjectId : undefined) ??
          personal
            .map((f) => current?.[f])
            .filter((v): v is string => typeof v === 'string')
            .flatMap((v) => findSealedTokens(v))[0]?.subjectId ??
          entityId);
    fields[field] = await personalData.seal(subject, value);
  }
  return fields;
}
