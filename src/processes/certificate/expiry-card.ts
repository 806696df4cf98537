import { card, fields, note } from '../../core/cards/card-kit';

export interface ExpiryNotice {
  name: string;
  certNo: string;
  unit: string;
  expires: string;
  daysLeft: number;
  milestone: string;
}

export function expiryNoticeCard(d: ExpiryNotice, audience: 'officer' | 'admin') {
  const expired = d.daysLeft < 0;
  const title = audience === 'officer' ? `您的执法证件${d.milestone}` : `${d.name} 的执法证件${d.milestone}`;
  return card(title, expired ? 'red' : d.daysLeft <= 31 ? 'orange' : 'yellow', [
    fields([
      ['执法人员', d.name],
      ['执法证号', d.certNo],
      ['单位', d.unit],
      ['有效期至', d.expires],
      [expired ? '已过期' : '剩余', `${Math.abs(d.daysLeft)} 天`],
    ]),
    note(
      expired
        ? '证件已过期,不得从事执法活动。请尽快办理换证;长期未换证的,单位应申请注销。'
        : '换证需参加执法资格考试,请提前报名(建议到期前 6 个月启动)。',
    ),
  ]);
}
