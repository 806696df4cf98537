import { daysBetween, type IsoDate } from './dates';

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

export function certificateView(recorded: CertificateStatus, expires: IsoDate | undefined, today: IsoDate): CertificateView {
  const daysLeft = expires === undefined ? undefined : daysBetween(today, expires);
  const expired = daysLeft !== undefined && daysLeft < 0;
  const status: EffectiveStatus = expired && (recorded === 'active' || recorded === 'suspended') ? 'expired' : recorded;
  return { status, label: STATUS_LABEL[status], daysLeft, canEnforce: status === 'active' };
}
