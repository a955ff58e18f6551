import { describe, expect, it } from 'vitest';
import { formatAgo, formatDuration, parseGoDuration } from './format';

describe('formatDuration', () => {
  it.each([
    [0, '0ns'], [850, '850ns'], [1_000, '1µs'], [12_345, '12.3µs'], [4_560_000, '4.56ms'],
    [999_400_000, '999ms'], [1_230_000_000, '1.23s'], [59_000_000_000, '59s'],
    [125_000_000_000, '2m 5s'], [3_720_000_000_000, '1h 2m'], [-2_500_000, '-2.5ms'],
  ])('%d ns is %s', (nanos, text) => {
    expect(formatDuration(nanos)).toBe(text);
  });

  it('does not pretend to know an infinite duration', () => {
    expect(formatDuration(Number.NaN)).toBe('–');
  });
});

describe('parseGoDuration', () => {
  it('reads the forms the API accepts', () => {
    expect(parseGoDuration('250ms')).toBe(250e6);
    expect(parseGoDuration('1.5s')).toBe(1.5e9);
    expect(parseGoDuration('1h30m')).toBe(5400e9);
    expect(parseGoDuration('50us')).toBe(50e3);
    expect(parseGoDuration('50µs')).toBe(50e3);
    expect(parseGoDuration('2d')).toBe(172800e9);
  });

  it('refuses text that is not a duration', () => {
    expect(parseGoDuration('')).toBeNull();
    expect(parseGoDuration('100')).toBeNull();
    expect(parseGoDuration('10 ms')).toBeNull();
    expect(parseGoDuration('fast')).toBeNull();
    expect(parseGoDuration('1s!')).toBeNull();
  });
});

describe('formatAgo', () => {
  it('says how long ago', () => {
    const now = 1_800_000_000_000;
    expect(formatAgo(now * 1000, now)).toBe('just now');
    expect(formatAgo((now - 5 * 60_000) * 1000, now)).toBe('5 min ago');
    expect(formatAgo((now - 3 * 3_600_000) * 1000, now)).toBe('3 h ago');
  });
});
