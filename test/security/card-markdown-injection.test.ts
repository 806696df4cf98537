import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeMarkdown } from '../../src/core/cards/escape';
import { dateIn } from '../../src/core/dates';
import { validateRoster } from '../../src/processes/roster/rules';
import { validateTrainingRows } from '../../src/processes/training/rows';
import { loadTestCalendar, PEOPLE, seedCounty } from '../support/certificate-fixture';
import { buttonValue, clickCard, sayTo, startHarness, type Harness } from '../support/lawdesk';

// Issue 20, item 6: a course name typed in 报学时 and a name on the roster reached the admin's card as markup —
// a live link dressed as a login prompt and an @所有人. What Feishu receives must show the text and carry no
// link, no <at>, no tag and no formatting from it.

const PHISHING = '[点此重新登录飞书](https://evil.example/login) <at id=all></at>';
const ROSTER_NAME = '**[李四](https://evil.example)**<at id=all></at>';

/** Every markdown string of a card (the parts Feishu renders as markup). */
function markdownOf(card: unknown): string[] {
  const out: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const el = node as Record<string, unknown>;
      if ((el.tag === 'markdown' || el.tag === 'lark_md') && typeof el.content === 'string') out.push(el.content);
      Object.values(el).forEach(walk);
    }
  };
  walk(card);
  return out;
}

/** What a card would make live in Feishu: links, tags (<at>, <font>, <a>), bare URLs, the injected bold. */
function liveMarkup(card: unknown): string[] {
  return markdownOf(card).flatMap((md) => [
    ...(md.match(/\[[^\]]*\]\([^)]*\)/g) ?? []),
    ...(md.match(/<\/?[a-z][^>]*>/gi) ?? []),
    ...(md.match(/https?:\/\//g) ?? []),
    ...(md.match(/\*\*\[/g) ?? []),
  ]);
}

describe('card markdown injection (issue 20 item 6)', () => {
  let h: Harness;
  const inbox = (openId: string) => h.fake.messagesTo(openId);

  beforeAll(async () => {
    h = await startHarness();
    await seedCounty(h.app.ctx.prisma);
    await loadTestCalendar(h.app.ctx.prisma, dateIn('Asia/Shanghai', new Date()), 0);
  });
  afterAll(() => h?.stop());

  it('shows a course name typed in 报学时 as text on the admin’s card, with no link and no @所有人', async () => {
    await sayTo(h, PEOPLE.officer.openId, '报学时');
    await h.fake.waitFor(() => inbox(PEOPLE.officer.openId).length === 1);
    const submit = buttonValue(inbox(PEOPLE.officer.openId)[0]!.content, { action: 'training_report_submit' });
    const today = dateIn('Asia/Shanghai', new Date());
    const answer = await clickCard(h, PEOPLE.officer.openId, submit, {
      formValue: { course: PHISHING, category: 'business', hours: '2', date: `${today} +0800` },
    });
    expect(answer.toast?.type).toBe('success');

    await h.fake.waitFor(() => inbox(PEOPLE.admin.openId).length === 1, 15_000);
    const adminCard = inbox(PEOPLE.admin.openId)[0]!.content;
    expect(liveMarkup(adminCard)).toEqual([]);
    expect(markdownOf(adminCard).join('\n')).toContain('点此重新登录飞书'); // shown, as text

    // The same title on the admin's 待办 list.
    await sayTo(h, PEOPLE.admin.openId, '待办');
    await h.fake.waitFor(() => inbox(PEOPLE.admin.openId).length === 2);
    const todo = inbox(PEOPLE.admin.openId)[1]!.content;
    expect(markdownOf(todo).join('\n')).toContain('点此重新登录飞书');
    expect(liveMarkup(todo)).toEqual([]);
  });

  it('shows a roster name as text in 本单位学时', async () => {
    // Written past the import's checks on purpose: the card must hold whatever the database holds.
    await h.app.ctx.prisma.officer.update({ where: { certNo: PEOPLE.stranger.certNo }, data: { name: ROSTER_NAME } });
    const before = inbox(PEOPLE.admin.openId).length;
    await sayTo(h, PEOPLE.admin.openId, '本单位学时');
    await h.fake.waitFor(() => inbox(PEOPLE.admin.openId).length === before + 1);
    const unitCard = inbox(PEOPLE.admin.openId)[before]!.content;
    expect(markdownOf(unitCard).join('\n')).toContain('李四');
    expect(liveMarkup(unitCard)).toEqual([]);
  });

  it.each([
    ['a link', '[登录](https://evil.example)', /\[|\]\(|https:\/\//],
    ['a mention', '<at id=all></at>', /<at/],
    ['a tag', '<font color="red">x</font>', /<font/],
    ['bold', '**急**', /\*\*/],
    ['strike and code', '~~x~~ `y` _z_', /~~|`|_/],
    ['a heading on a new line', '说明\n# 标题\n> 引用\n- 列表\n1. 编号', /\n\s*(#|>|-|\d+\.)/],
    ['an entity that Feishu would decode', '&lt;at id=all&gt;', /&lt;/],
  ])('escapes %s', (_, text, live) => {
    expect(escapeMarkdown(text)).not.toMatch(live);
  });

  it('leaves ordinary text alone: numbers, dates, parentheses, Chinese punctuation', () => {
    for (const text of ['9.5 / 60 学时', '2026-03-05', '张三(HN001)', '县市监罚〔2026〕12号', 'A-B 类'])
      expect(escapeMarkdown(text)).toBe(text);
  });

  it('refuses over-long names and course titles at import', () => {
    const roster = validateRoster(
      ['姓名', '执法证号', '单位'],
      [
        { row: 2, cells: ['张'.repeat(41), 'HN100', '县市场监管局'] },
        { row: 3, cells: ['王五', 'HN[1](x)', '县市场监管局'] },
      ],
    );
    expect(roster.ok).toBe(false);
    expect(!roster.ok && roster.errors.map((e) => e.message)).toEqual([
      '姓名不能超过 40 个字(现为 41 个)',
      '执法证号只能包含字母、数字和连字符(-)',
    ]);
    const training = validateTrainingRows(
      ['执法证号', '课程', '类别', '学时', '日期'],
      [{ row: 2, cells: ['HN001', '课'.repeat(101), '业务知识', '2', '2026-01-05'] }],
    );
    expect(!training.ok && training.errors.map((e) => e.message)).toEqual(['课程不能超过 100 个字(现为 101 个)']);
  });
});
