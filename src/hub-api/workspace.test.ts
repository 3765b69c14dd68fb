// Why an account may not create apps, in words, and the names a developer profile gets from a display name.
import { describe, expect, it } from 'vitest';
import { namesOf, refusalFor } from './workspace.ts';

describe('the refusal', () => {
  it('names the roles an account has and where an administrator adds the developer role', () => {
    expect(refusalFor({ email: 'ada@example.com', roles: ['admin'] }, 'open', undefined)).toEqual({
      code: 'hub.developer_role_required',
      reason: 'Creating apps needs the developer role. Your account (ada@example.com) has the role admin. Ask a Gatehouse administrator to add the developer role in the console under Users.',
    });
    expect(refusalFor({ email: 'v@example.com', roles: ['viewer', 'api-editor'] }, 'open', undefined)?.reason).toContain('has the roles viewer, api-editor.');
  });

  it('says an account without roles waits for approval when sign-up needs it, and has no roles otherwise', () => {
    expect(refusalFor({ email: 'pat@example.com', roles: [] }, 'approval', undefined)?.code).toBe('hub.approval_pending');
    expect(refusalFor({ email: 'pat@example.com', roles: [] }, 'closed', undefined)?.reason).toContain('has no roles yet');
  });

  it('tells an inactive developer so, and lets an active one (or one without a profile yet) create apps', () => {
    expect(refusalFor({ email: 'd@example.com', roles: ['developer'] }, 'open', { status: 'inactive' })?.code).toBe('hub.developer_inactive');
    expect(refusalFor({ email: 'd@example.com', roles: ['developer'] }, 'open', { status: 'active' })).toBeUndefined();
    expect(refusalFor({ email: 'd@example.com', roles: ['developer', 'viewer'] }, 'approval', undefined)).toBeUndefined();
  });
});

describe('names from a display name', () => {
  it('take the last word as the last name, and one word as both', () => {
    expect(namesOf('Dana Q. Developer', 'd@example.com')).toEqual({ firstName: 'Dana Q.', lastName: 'Developer' });
    expect(namesOf('Cher', 'c@example.com')).toEqual({ firstName: 'Cher', lastName: 'Cher' });
  });

  it("fall back to the email's local part", () => {
    expect(namesOf(null, 'dana@example.com')).toEqual({ firstName: 'dana', lastName: 'dana' });
    expect(namesOf('   ', 'dana@example.com')).toEqual({ firstName: 'dana', lastName: 'dana' });
  });
});
