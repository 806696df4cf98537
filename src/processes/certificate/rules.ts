import { daysBetween, type IsoDate } from '../../core/dates';

// Enforcement certificate states (DOMAIN.md §2). 过期 is not stored: a certificate whose expiry date has
// passed is expired whatever its recorded status says, unless a stronger state (收回/注销) already applies.

export type CertificateStatus = 'active' | 'suspended' | 'withdrawn' | 'cancelled';
export type EffectiveStatus = CertificateStatus | 'expired';

export const STATUS_LABEL: Record<EffectiveStatus, string> = {
  active: '有效',
  suspended: '暂扣',
  withdrawn: '收回',
  cancelled: '注销',
  expired: '已过期',
};

export interface CertificateView {
  status: EffectiveStatus;
  label: string;
  /** Days until the expiry date (0 = expires today, negative = expired); undefined when no date is known. */
  daysLeft?: number;
  /** Can the holder enforce today (持证上岗)? */
  canEnforce: boolean;
}

export function certificateView(
  recorded: CertificateStatus,
  expires: IsoDate | undefined,
  today: IsoDate,
): CertificateView {
  const daysLeft = expires === undefined ? undefined : daysBetween(today, expires);
  const expired = daysLeft !== undefined && daysLeft < 0;
  const status: EffectiveStatus = expired && (recorded === 'active' || recorded === 'suspended') ? 'expired' : recorded;
  return { status, label: STATUS_LABEL[status], daysLeft, canEnforce: status === 'active' };
}

// Certificate actions of the exit mechanism (退出机制) and when each is legal.

export type CertificateAction = 'suspend' | 'withdraw' | 'cancel' | 'restore';

export const ACTION_LABEL: Record<CertificateAction, string> = {
  suspend: '暂扣',
  withdraw: '收回',
  cancel: '注销',
  restore: '恢复',
};

export const ACTION_RESULT: Record<CertificateAction, CertificateStatus> = {
  suspend: 'suspended',
  withdraw: 'withdrawn',
  cancel: 'cancelled',
  restore: 'active',
};

/** From which (effective) states each action may start. Nothing leaves 注销; restore only from 暂扣. */
const LEGAL_FROM: Record<CertificateAction, EffectiveStatus[]> = {
  suspend: ['active'],
  withdraw: ['active', 'suspended', 'expired'],
  cancel: ['active', 'suspended', 'withdrawn', 'expired'],
  restore: ['suspended'],
};

export type ReasonCode =
  | 'transfer'
  | 'retirement'
  | 'departure'
  | 'criminal'
  | 'investigation'
  | 'assessment'
  | 'training'
  | 'expiredNotRenewed'
  | 'causeCleared'
  | 'other';

export const REASONS: Record<ReasonCode, { label: string; defaultAction?: CertificateAction }> = {
  transfer: { label: '调离执法岗位', defaultAction: 'withdraw' },
  retirement: { label: '退休', defaultAction: 'cancel' },
  departure: { label: '辞职/辞退/开除', defaultAction: 'cancel' },
  criminal: { label: '刑事处罚', defaultAction: 'cancel' },
  investigation: { label: '违法违纪调查', defaultAction: 'suspend' },
  assessment: { label: '考核不合格', defaultAction: 'suspend' },
  training: { label: '学时不足', defaultAction: 'suspend' },
  expiredNotRenewed: { label: '证件到期未换证', defaultAction: 'cancel' },
  causeCleared: { label: '暂扣原因已消除', defaultAction: 'restore' },
  other: { label: '其他' },
};

export function isReasonCode(value: unknown): value is ReasonCode {
  return typeof value === 'string' && value in REASONS;
}

export function isCertificateAction(value: unknown): value is CertificateAction {
  return typeof value === 'string' && value in ACTION_LABEL;
}

export type ActionCheck = { ok: true } | { ok: false; message: string };

/** Is `action` legal for a certificate in `current` state today? The message is shown to the admin. */
export function checkAction(action: CertificateAction, current: EffectiveStatus, reason: ReasonCode): ActionCheck {
  if (current === 'cancelled') return { ok: false, message: '证件已注销,不能再办理任何变更' };
  if (action === 'restore' && current === 'expired')
    return { ok: false, message: '证件已过期,不能恢复,需重新考试换证' };
  if (!LEGAL_FROM[action].includes(current)) {
    return { ok: false, message: `证件当前为「${STATUS_LABEL[current]}」,不能${ACTION_LABEL[action]}` };
  }
  if ((action === 'restore') !== (reason === 'causeCleared')) {
    return {
      ok: false,
      message: action === 'restore' ? '恢复证件的原因应为「暂扣原因已消除」' : '「暂扣原因已消除」只用于恢复证件',
    };
  }
  return { ok: true };
}

/** 收回 and 注销 need the physical certificate handed in before the register changes. */
export function needsHandover(action: CertificateAction): boolean {
  return action === 'withdraw' || action === 'cancel';
}

/** Expiry milestones told once each, nearest last. */
export const EXPIRY_MILESTONES: Array<{ key: string; label: string; daysBefore: number }> = [
  { key: '6m', label: '半年内到期', daysBefore: 183 },
  { key: '3m', label: '三个月内到期', daysBefore: 92 },
  { key: '1m', label: '一个月内到期', daysBefore: 31 },
  { key: 'expired', label: '已过期', daysBefore: -1 },
];

/** The milestone a certificate has reached today (the nearest one), or undefined when none yet. */
export function expiryMilestone(
  daysLeft: number,
  milestones = EXPIRY_MILESTONES,
): (typeof EXPIRY_MILESTONES)[number] | undefined {
  return [...milestones].reverse().find((m) => (m.key === 'expired' ? daysLeft < 0 : daysLeft <= m.daysBefore));
}
