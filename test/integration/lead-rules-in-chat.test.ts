import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLeadRules } from '../../src/processes/referral/lead-rules';
import { DEFAULT_LEAD_RULES } from '../../src/processes/referral/leads';
import { PEOPLE, seedCounty } from '../support/certificate-fixture';
import { buttonValue, cardText, clickCard, csvBytes, type Harness, sayTo, startHarness } from '../support/lawdesk';

// The county's hotline lead rules (12345 time limits differ by city) are a file the bureau sends in chat: it is
// previewed, loaded at 导入, and the next 派发线索 form offers the county's own types and says its own limits.

const BUREAU = PEOPLE.reviewer;
const csv = csvBytes;
const RULES = [
  '项目,时限,单位',
  '签收,1,工作日',
  '退单,1,工作日',
  '退单次数,1,次',
  '超期通报,3,工作日',
  '紧急诉求,24,小时',
  '投诉,10,工作日',
  '求助,2,工作日',
];

describe('lead rules sent as a file in chat', () => {
  let h: Harness;
  const prisma = () => h.app.ctx.prisma;
  const inbox = (openId: string) => h.fake.messagesTo(openId);
  const leadForm = async () => {
    const before = inbox(BUREAU.openId).length;
    await sayTo(h, BUREAU.openId, '派发线索');
    await h.fake.waitFor(() => inbox(BUREAU.openId).length > before, 10_000);
    return inbox(BUREAU.openId).at(-1)!;
  };
  async function send(openId: string, bytes: Buffer) {
    const before = inbox(openId).length;
    await h.fake.userSendsFile(h.eventUrl, openId, '线索办理规则.csv', bytes);
    await h.fake.waitFor(() => inbox(openId).length > before, 15_000);
    return inbox(openId).at(-1)!;
  }

  beforeAll(async () => {
    h = await startHarness();
    await seedCounty(prisma());
  });
  afterAll(() => h?.stop());

  it('a unit admin is refused; the bureau previews, loads, and the next dispatch form follows the county rules', async () => {
    const shipped = cardText((await leadForm()).content);
    expect(shipped).toContain('投诉(13个工作日)');
    expect(shipped).toContain('超期 5 个工作日通报');

    await send(PEOPLE.admin.openId, csv(RULES));
    expect(await readLeadRules(prisma())).toEqual(DEFAULT_LEAD_RULES);

    const preview = await send(BUREAU.openId, csv(RULES));
    const text = cardText(preview.content);
    expect(text).toContain('线索办理规则');
    expect(await readLeadRules(prisma())).toEqual(DEFAULT_LEAD_RULES); // nothing until 导入
    const answer = await clickCard(h, BUREAU.openId, buttonValue(preview.content, { action: 'file_import' }), {
      messageId: preview.messageId,
    });
    expect(answer.toast?.type).toBe('success');
    expect(cardText(answer.card)).toContain('线索办理规则已载入');
    expect((await readLeadRules(prisma())).replyClocks).toEqual({
      urgent: { label: '紧急诉求', clock: { unit: 'hours', amount: 24 } },
      complaint: { label: '投诉', clock: { unit: 'workingDays', amount: 10 } },
      求助: { label: '求助', clock: { unit: 'workingDays', amount: 2 } },
    });

    const form = await leadForm();
    const county = cardText(form.content);
    expect(county).toContain('投诉(10个工作日)');
    expect(county).toContain('求助(2个工作日)');
    expect(county).not.toContain('咨询');
    expect(county).toContain('超期 3 个工作日通报');

    // A 求助 lead is dispatched on the county's type; a type the county dropped is refused.
    const submit = buttonValue(form.content, { action: 'lead_dispatch_submit' });
    const fields = { unit: '县市场监管局', source: '12345', title: '求助:独居老人家中燃气泄漏', summary: '来电求助' };
    const dropped = await clickCard(h, BUREAU.openId, submit, { formValue: { ...fields, leadType: 'question' } });
    expect(dropped.toast).toMatchObject({ type: 'error', content: '请选择线索类型' });
    const started = await clickCard(h, BUREAU.openId, submit, { formValue: { ...fields, leadType: '求助' } });
    expect(started.toast?.type).toBe('success');
    await h.fake.waitFor(
      () => inbox(PEOPLE.admin.openId).some((m) => cardText(m.content).includes(fields.title)),
      15_000,
    ); // the unit's 签收 card
    expect(await prisma().referral.count({ where: { kind: 'lead', title: fields.title } })).toBe(1);
  });

  it('a rule left out of a file with a title above its header is pointed at the header row, not row 1', async () => {
    const titled = ['2027年本县12345线索办理规则', ...RULES.filter((line) => !line.startsWith('退单次数'))];
    const preview = await send(BUREAU.openId, csv(titled));
    expect(cardText(preview.content)).toContain('第 2 行 · 项目: 缺少「退单次数」一行');
    expect(await prisma().bureauSetting.count({ where: { kind: 'lead_rules' } })).toBe(1); // only the earlier load
  });
});
