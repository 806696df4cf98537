import { describe, expect, it } from 'vitest';
import { certificateView } from '../../workflows/domain/certificate';
import { dateIn, daysBetween } from '../../workflows/domain/dates';

describe('certificateView', () => {
  it.each([
    ['active', '2027-06-30', '2026-11-22', 'active', '有效', 220],
    ['active', '2026-11-22', '2026-11-22', 'active', '有效', 0],
    ['active', '2026-11-21', '2026-11-22', 'expired', '已过期', -1],
    ['suspended', '2026-01-01', '2026-11-22', 'expired', '已过期', -325],
    ['suspended', '2027-01-01', '2026-11-22', 'suspended', '暂扣', 40],
    ['cancelled', '2020-01-01', '2026-11-22', 'cancelled', '注销', -2517],
    ['withdrawn', undefined, '2026-11-22', 'withdrawn', '收回', undefined],
  ] as const)('%s until %s on %s → %s', (recorded, expires, today, status, label, daysLeft) => {
    expect(certificateView(recorded, expires, today)).toEqual({ status, label, daysLeft, canEnforce: status === 'active' });
  });
});

describe('dates', () => {
  it('takes the calendar date in the county time zone, not the server one', () => {
    expect(dateIn('Asia/Shanghai', new Date('2026-12-31T16:30:00Z'))).toBe('2027-01-01');
    expect(dateIn('Asia/Shanghai', new Date('2026-12-31T15:59:59Z'))).toBe('2026-12-31');
  });
  it('counts days across a leap day', () => {
    expect(daysBetween('2028-02-28', '2028-03-01')).toBe(2);
    expect(daysBetween('2027-02-28', '2027-03-01')).toBe(1);
  });
});
