import { describe, expect, it } from 'vitest';
import { isRondoError } from '../model/index.js';
import { createSecretBox } from './secret-box.js';

const KEY = '00'.repeat(16) + 'ff'.repeat(16);

describe('createSecretBox', () => {
  it('round-trips and never stores the clear text', () => {
    const box = createSecretBox(KEY);
    const sealed = box.seal('s3cret-pässword');
    expect(sealed).not.toContain('s3cret');
    expect(sealed.startsWith('v1.')).toBe(true);
    expect(box.open(sealed)).toBe('s3cret-pässword');
  });

  it('uses a fresh IV per seal', () => {
    const box = createSecretBox(KEY);
    expect(box.seal('x')).not.toBe(box.seal('x'));
  });

  it('refuses a wrong key and a tampered value', () => {
    const sealed = createSecretBox(KEY).seal('x');
    const other = createSecretBox('11'.repeat(32));
    expect(() => other.open(sealed)).toThrow();
    const parts = sealed.split('.');
    const tampered = [parts[0], parts[1], parts[2], Buffer.from('zz').toString('base64url')].join('.');
    expect(() => createSecretBox(KEY).open(tampered)).toThrow();
  });

  it('accepts base64 keys and rejects short ones with a stable code', () => {
    const b64 = Buffer.alloc(32, 7).toString('base64');
    expect(createSecretBox(b64).open(createSecretBox(Buffer.alloc(32, 7)).seal('y'))).toBe('y');
    try {
      createSecretBox('abcd');
      expect.unreachable();
    } catch (e) {
      expect(isRondoError(e) && e.code).toBe('SECRET_KEY_INVALID');
    }
  });
});
