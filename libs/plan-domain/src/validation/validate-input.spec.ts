import { validateInput } from './validate-input';

describe('validateInput', () => {
  it('given a new task without its required fields, when validated for create, then each is missing', () => {
    expect(validateInput('tasks', {}, 'create').map((p) => [p.path, p.code])).toEqual([
      ['tasks.new.title', 'MISSING_FIELD'],
      ['tasks.new.durationDays', 'MISSING_FIELD'],
    ]);
  });

  it('given a patch with only some fields, when validated for update, then nothing is missing', () => {
    expect(validateInput('tasks', { percentComplete: 50 }, 'update', 't1')).toEqual([]);
  });

  it('given a patch that clears an optional field and a required one, when validated, then only the required one is refused', () => {
    expect(validateInput('tasks', { start: null, title: null }, 'update', 't1')).toEqual([
      expect.objectContaining({ path: 'tasks.t1.title', code: 'MISSING_FIELD' }),
    ]);
  });

  it('given a patch that tries to change the id, when validated, then the id is refused', () => {
    expect(validateInput('risks', { id: 'other' }, 'update', 'r1')).toEqual([
      { path: 'risks.r1.id', code: 'UNKNOWN_FIELD', message: 'an id cannot be changed' },
    ]);
  });

  it('given a create with an id, when a field is invalid, then the path uses that id', () => {
    expect(
      validateInput('risks', { id: 'r9', title: 'R', probability: 3, impact: 8 }, 'create'),
    ).toEqual([expect.objectContaining({ path: 'risks.r9.impact', code: 'OUT_OF_RANGE' })]);
  });

  it('given an empty id or a body that is not an object, when validated, then the input is refused', () => {
    expect(validateInput('phases', { id: '', title: 'P' }, 'create')).toEqual([
      expect.objectContaining({ path: 'phases.new.id', code: 'WRONG_TYPE' }),
    ]);
    expect(validateInput('phases', ['title'], 'create')).toEqual([
      expect.objectContaining({ path: 'phases.new', code: 'WRONG_TYPE' }),
    ]);
  });

  it('given a dependency with an unknown type, when validated, then the enum is named with its allowed values', () => {
    expect(
      validateInput(
        'tasks',
        { dependsOn: [{ taskId: 'a', type: 'XS', lagDays: 0 }] },
        'update',
        't',
      ),
    ).toEqual([
      {
        path: 'tasks.t.dependsOn.0.type',
        code: 'INVALID_ENUM',
        message: 'type must be one of FS, SS, FF, SF, got "XS"',
      },
    ]);
  });

  it('given meta input, when validated, then it is always a partial update', () => {
    expect(validateInput('meta', { currency: 'EUR' }, 'create')).toEqual([]);
    expect(validateInput('meta', { status: 'finished' }, 'update')).toEqual([
      expect.objectContaining({ path: 'meta.status', code: 'INVALID_ENUM' }),
    ]);
  });
});
