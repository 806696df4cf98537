import { describe, expect, it } from 'vitest';
import {
  certificateView,
  checkAction,
  expiryMilestone,
  needsHandover,
  REASONS,
  type CertificateAction,
  type EffectiveStatus,
  type ReasonCode,
} from '../../src/processes/certificate/rules';
import { dateIn, daysBetween } from '../../src/core/dates';

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
    expect(certificateView(recorded, expires, today)).toEqual({
      status,
      label,
      daysLeft,
      canEnforce: status === 'active',
    });
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

describe('certificate actions', () => {
  const states: EffectiveStatus[] = ['active', 'suspended', 'withdrawn', 'cancelled', 'expired'];
  // Which action may start from which state (reason chosen to match the action).
  const legal: Record<CertificateAction, EffectiveStatus[]> = {
    suspend: ['active'],
    withdraw: ['active', 'suspended', 'expired'],
    cancel: ['active', 'suspended', 'withdrawn', 'expired'],
    restore: ['suspended'],
  };
  const reasonFor: Record<CertificateAction, ReasonCode> = {
    suspend: 'investigation',
    withdraw: 'transfer',
    cancel: 'retirement',
    restore: 'causeCleared',
  };
  const table = (Object.keys(legal) as CertificateAction[]).flatMap((action) =>
    states.map((state) => [action, state, legal[action].includes(state)] as const),
  );

  it.each(table)('%s from %s is legal: %s', (action, state, ok) => {
    expect(checkAction(action, state, reasonFor[action]).ok).toBe(ok);
  });

  it('says why in words the admin knows', () => {
    expect(checkAction('suspend', 'withdrawn', 'investigation')).toEqual({
      ok: false,
      message: '证件当前为「收回」,不能暂扣',
    });
    expect(checkAction('withdraw', 'cancelled', 'transfer')).toEqual({
      ok: false,
      message: '证件已注销,不能再办理任何变更',
    });
    expect(checkAction('restore', 'expired', 'causeCleared')).toEqual({
      ok: false,
      message: '证件已过期,不能恢复,需重新考试换证',
    });
    expect(checkAction('restore', 'suspended', 'training')).toMatchObject({ ok: false });
    expect(checkAction('suspend', 'active', 'causeCleared')).toMatchObject({ ok: false });
  });

  it.each([
    ['transfer', '调离执法岗位', 'withdraw'],
    ['retirement', '退休', 'cancel'],
    ['departure', '辞职/辞退/开除', 'cancel'],
    ['criminal', '刑事处罚', 'cancel'],
    ['investigation', '违法违纪调查', 'suspend'],
    ['assessment', '考核不合格', 'suspend'],
    ['training', '学时不足', 'suspend'],
    ['expiredNotRenewed', '证件到期未换证', 'cancel'],
    ['causeCleared', '暂扣原因已消除', 'restore'],
    ['other', '其他', undefined],
  ] as const)('reason %s (%s) implies %s', (code, label, action) => {
    expect(REASONS[code]).toEqual(action ? { label, defaultAction: action } : { label });
  });

  it('asks for the certificate back only when it leaves for good', () => {
    expect((['suspend', 'withdraw', 'cancel', 'restore'] as const).filter(needsHandover)).toEqual([
      'withdraw',
      'cancel',
    ]);
  });

  it.each([
    [400, undefined],
    [183, '6m'],
    [92, '3m'],
    [31, '1m'],
    [0, '1m'],
    [-1, 'expired'],
  ])('%i days left → milestone %s', (days, key) => {
    expect(expiryMilestone(days)?.key).toBe(key);
  });
});
