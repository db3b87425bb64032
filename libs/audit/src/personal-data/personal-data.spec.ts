import { ERASED_TEXT, findSealedTokens, sealText } from './sealed-text';
import { PersonalData } from './personal-data';
import { SqliteSubjectKeyStore } from './sqlite-subject-key-store';

describe('personal data', () => {
  let keys: SqliteSubjectKeyStore;
  let data: PersonalData;
  beforeEach(() => {
    keys = new SqliteSubjectKeyStore(':memory:');
    data = new PersonalData(keys, 'sealed');
  });
  afterEach(() => keys.close());

  it('given a sealed name inside a sentence, when opened, then the sentence reads in clear and the token holds no clear text', async () => {
    const token = await data.seal('u-sam', 'Samantha "Sam" Quill');
    expect(token).not.toContain('Samantha');
    expect(findSealedTokens(`Stakeholder ${token} added`)).toEqual([
      expect.objectContaining({ subjectId: 'u-sam' }),
    ]);
    expect(await data.open(`Stakeholder ${token} added`)).toBe(
      'Stakeholder Samantha "Sam" Quill added',
    );
    expect(await data.open(`{"name":"${token}"}`, (s) => JSON.stringify(s).slice(1, -1))).toBe(
      '{"name":"Samantha \\"Sam\\" Quill"}',
    );
  });

  it('given two subjects, when one is erased, then only its tokens read [erased] and nothing new is sealed for it', async () => {
    const sam = await data.seal('u-sam', 'Samantha');
    const oscar = await data.seal('u-oscar', 'Oscar');
    const erasure = await data.erase('u-sam', 'dpo');
    expect(erasure).toMatchObject({ subjectId: 'u-sam', erasedBy: 'dpo', alreadyErased: false });
    expect(await data.open(`${sam} and ${oscar}`)).toBe(`${ERASED_TEXT} and Oscar`);
    expect(await data.seal('u-sam', 'Samantha again')).toBe(ERASED_TEXT);
    expect((await data.erase('u-sam', 'dpo')).alreadyErased).toBe(true);
  });

  it('given a token moved to another subject, when opened, then it does not open', async () => {
    await data.seal('u-oscar', 'x');
    const key = (await keys.existingKey('u-sam')) ?? (await keys.keyFor('u-sam'))!;
    const forged = sealText('u-sam', key, 'Samantha').replace(
      Buffer.from('u-sam').toString('base64url'),
      Buffer.from('u-oscar').toString('base64url'),
    );
    expect(await data.open(forged)).toBe(forged);
  });

  it('given PERSONAL_DATA=clear, when sealing, then the text is stored as given', async () => {
    expect(await new PersonalData(keys, 'clear').seal('u-sam', 'Samantha')).toBe('Samantha');
  });
});
