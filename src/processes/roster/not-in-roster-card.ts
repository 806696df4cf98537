import { card, markdown, note } from '../../core/cards/card-kit';
import { escapeMarkdownLine as esc } from '../../core/cards/escape';

export function notInRosterCard(bureauContacts: string[]) {
  const whom = bureauContacts.length
    ? `也可以联系县司法局:${bureauContacts.map(esc).join('、')}。`
    : '也可以联系县司法局行政执法监督科。';
  return card('未找到您的登记信息', 'yellow', [
    markdown(
      `您还不在执法通的人员名册中,暂时查不到证件和学时。\n请联系**本单位法制员(管理员)**把您加入名册,并确认登记的手机号与飞书一致。${whom}`,
    ),
    note('名册更新后无需重新添加机器人,直接再发一次即可。'),
  ]);
}
