import { describe, expect, it } from 'vitest';
import { authContext, createPolicy, parseRule, PolicyInvalidError } from '../../src/auth/index.js';
import type { AuthContext, UserRole } from '../../src/auth/index.js';

const ctx = (roles: UserRole[], tenant = 't1'): AuthContext => authContext({ userId: 'u1', user: 'alice', tenant, roles, method: 'token' });

describe('policy rule language', () => {
  it('parses @, !, role, rule, attribute checks, and/or/not with precedence and parentheses', () => {
    expect(parseRule('x', '')).toEqual({ kind: 'always' });
    expect(parseRule('x', '@')).toEqual({ kind: 'always' });
    expect(parseRule('x', '!')).toEqual({ kind: 'never' });
    expect(parseRule('x', 'role:a or role:b and not role:c')).toEqual({
      kind: 'or',
      items: [{ kind: 'role', role: 'a' }, { kind: 'and', items: [{ kind: 'role', role: 'b' }, { kind: 'not', item: { kind: 'role', role: 'c' } }] }],
    });
    expect(parseRule('x', '(role:a or role:b) and tenant:%(tenant)s')).toEqual({
      kind: 'and',
      items: [{ kind: 'or', items: [{ kind: 'role', role: 'a' }, { kind: 'role', role: 'b' }] }, { kind: 'match', attr: 'tenant', value: 'tenant', fromTarget: true }],
    });
  });

  it.each(['role:', 'and role:a', '(role:a', 'role:a)', 'role:a or', 'banana', 'not', `${'('.repeat(40)}@${')'.repeat(40)}`])('refuses %s with POLICY_INVALID', (text) => {
    expect(() => parseRule('r', text)).toThrow(PolicyInvalidError);
    try {
      parseRule('r', text);
    } catch (e) {
      expect((e as PolicyInvalidError).code).toBe('POLICY_INVALID');
    }
  });
});

describe('createPolicy', () => {
  const p = createPolicy();

  it('the default rules: admin everything, operator lifecycle, viewer reads, nobody unknown actions', () => {
    expect(p.allows('nslcm:instantiate', ctx(['operator']))).toBe(true);
    expect(p.allows('nslcm:instantiate', ctx(['viewer']))).toBe(false);
    expect(p.allows('nsd:read', ctx(['viewer']))).toBe(true);
    expect(p.allows('vim:create', ctx(['operator']))).toBe(false);
    expect(p.allows('vim:create', ctx(['admin']))).toBe(true);
    expect(p.allows('user:create', ctx(['operator']))).toBe(false);
    expect(p.allows('audit:read', ctx(['admin']))).toBe(true);
    expect(p.allows('no:such-action', ctx(['admin']))).toBe(false);
    expect(() => p.enforce('nsd:delete', ctx(['viewer']))).toThrow(expect.objectContaining({ code: 'POLICY_DENIED', status: 403 }));
  });

  it('rule:admin_or_owner compares the caller tenant with the target tenant', () => {
    expect(p.allows('admin_or_owner', ctx(['viewer'], 't1'), { tenant: 't1' })).toBe(true);
    expect(p.allows('admin_or_owner', ctx(['viewer'], 't1'), { tenant: 't2' })).toBe(false);
    expect(p.allows('admin_or_owner', ctx(['admin'], 't1'), { tenant: 't2' })).toBe(true);
    expect(p.allows('admin_or_owner', ctx(['viewer'], 't1'), {})).toBe(false);
  });

  it('overrides replace single rules; bad references and cycles stop start-up', () => {
    const q = createPolicy({ 'nslcm:instantiate': 'role:admin', 'nsd:read': '!' });
    expect(q.allows('nslcm:instantiate', ctx(['operator']))).toBe(false);
    expect(q.allows('nsd:read', ctx(['admin']))).toBe(false);
    expect(q.allows('nslcm:terminate', ctx(['operator']))).toBe(true);
    expect(() => createPolicy({ x: 'rule:missing' })).toThrow(/does not exist/);
    expect(() => createPolicy({ a: 'rule:b', b: 'rule:a' })).toThrow(/cycle/);
  });
});
