import { describe, expect, it } from 'vitest';
import { ManualClock } from '../util/clock.ts';
import { FAILURES_PER_ACCOUNT, FAILURES_PER_ADDRESS, SIGN_IN_WINDOW_MS, SignInThrottle } from './sign-in-throttle.ts';

describe('sign-in throttle', () => {
  it('stops an account after its failures, whatever the case of the email, until the window passes', () => {
    const clock = new ManualClock();
    const throttle = new SignInThrottle(clock);
    for (let i = 0; i < FAILURES_PER_ACCOUNT; i++) {
      expect(() => throttle.check('Ann@example.com', `10.0.0.${i}`)).not.toThrow();
      throttle.failed(i % 2 ? 'ann@example.com' : 'ANN@example.com', `10.0.0.${i}`);
    }
    expect(() => throttle.check('ann@example.com', '10.0.0.99')).toThrow(/Too many failed sign-ins/);
    expect(() => throttle.check('bob@example.com', '10.0.0.99')).not.toThrow();
    clock.advance(SIGN_IN_WINDOW_MS);
    expect(() => throttle.check('ann@example.com', '10.0.0.99')).not.toThrow();
  });

  it('stops an address that tries many accounts', () => {
    const throttle = new SignInThrottle(new ManualClock());
    for (let i = 0; i < FAILURES_PER_ADDRESS; i++) throttle.failed(`user${i}@example.com`, '192.0.2.1');
    expect(() => throttle.check('someone-new@example.com', '192.0.2.1')).toThrow(/Too many/);
    expect(() => throttle.check('someone-new@example.com', '192.0.2.2')).not.toThrow();
  });

  it('forgets an account\'s failures after a correct sign-in', () => {
    const throttle = new SignInThrottle(new ManualClock());
    for (let i = 0; i < FAILURES_PER_ACCOUNT - 1; i++) throttle.failed('ann@example.com', `10.0.0.${i}`);
    throttle.succeeded('ann@example.com');
    throttle.failed('ann@example.com', '10.0.1.1');
    expect(() => throttle.check('ann@example.com', '10.0.1.2')).not.toThrow();
  });
});
