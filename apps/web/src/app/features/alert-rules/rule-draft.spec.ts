import { alertRuleSchema, type AlertRuleChange } from '@vigil/shared';
import { bodyOf, draftErrors, draftOf, emptyDraft, originOf } from './rule-draft';

describe('rule drafts', () => {
  it('sends only the kind’s own non-empty fields, numbers as numbers', () => {
    const draft = { ...emptyDraft('threshold'), name: 'hot', metric: 'cpu', threshold: '80', forSeconds: '', seconds: '5' };
    expect(bodyOf(draft)).toEqual({ kind: 'threshold', name: 'hot', severity: 'warning', metric: 'cpu', comparator: '>', threshold: 80 });
    expect(draftErrors(draft)).toEqual({});
  });

  it('gives the shared schema’s errors per field before sending', () => {
    const errors = draftErrors({ ...emptyDraft('threshold'), name: '', metric: 'cpu', threshold: 'lots' });
    expect(Object.keys(errors).sort()).toEqual(['name', 'threshold']);
    expect(draftErrors({ ...emptyDraft('absent'), name: 'quiet' })).toHaveProperty('seconds');
  });

  it('edits a rule as it is and sends back the same rule', () => {
    const rule = alertRuleSchema.parse({ kind: 'service', name: 'loop', trigger: 'restart-loop', restarts: 4, severity: 'critical' });
    expect(alertRuleSchema.parse(bodyOf(draftOf(rule)))).toEqual(rule);
  });

  it('says where a rule comes from', () => {
    const change = (name: string, kind: AlertRuleChange['change'], by?: string): AlertRuleChange => ({
      name,
      change: kind,
      rule: null,
      at: '2026-01-01T00:00:00.000Z',
      position: 1,
      ...(by ? { by } : {}),
    });
    expect(originOf('cpu', [])).toBe('config');
    expect(originOf('cpu', [change('cpu', 'updated', 'admin')])).toBe('updated at run time by admin');
    expect(originOf('new', [change('new', 'deleted'), change('new', 'created', 'ann')])).toBe('created at run time by ann');
  });
});
