import { CLOSED, days, type ReferralStep, type StepOutcome } from './steps';

// Referral hand-offs (移送, DOMAIN.md §4, issue #8) as tables of steps: who acts, what kind of act, the clock.
// The police and the procuratorate are not on Feishu: their acts are 'record' steps the agency's liaison enters
// (date, document number, outcome). Pure: calendar, time and rules are passed in.
//
// Which "3 日" of 国务院令第310号 are working days? None. 《行政处罚法》第85条 makes "二日、三日、五日、七日"
// working days for periods of that Law only; 310 is a separate regulation on handing a case into criminal
// procedure and says nothing of working days, so its 3 日 (第5、8、9、12条) are calendar days ('days'), counted as
// criminal procedure counts them (刑事诉讼法第105条: the start day not counted). We do not apply 第105条's rule that a
// period ending on a holiday runs to the next working day: the shorter reading is the safe one for the agency's
// own steps, and for the police's steps it only makes the liaison ask a day early.

const o = (key: string, label: string, next: string): StepOutcome => ({ key, label, next });
const base = { statutory24h: false, pausable: false };

/** 行刑衔接, 国务院令第310号 (2020). Articles are 310's unless named. */
export const CRIMINAL_STEPS: ReferralStep[] = [
  {
    ...base,
    key: 'report',
    title: '专案组提交移送报告',
    actor: 'case_team',
    kind: 'confirm',
    article: '第5条',
    outcomes: [o('filed', '已报告', 'headDecision')],
  },
  {
    ...base,
    key: 'headDecision',
    title: '负责人决定是否移送',
    actor: 'agency_head',
    kind: 'approve',
    clock: days(3),
    article: '第5条',
    outcomes: [o('approved', '批准移送', 'send'), o('rejected', '不批准移送(说明理由)', CLOSED)],
  },
  {
    ...base,
    key: 'send',
    title: '移送同级公安机关并抄送检察院',
    actor: 'liaison',
    kind: 'confirm',
    clock: { unit: 'hours', amount: 24 },
    statutory24h: true,
    article: '第5、6条',
    outcomes: [o('sent', '已移送', 'policeReceipt')],
  },
  {
    ...base,
    key: 'policeReceipt',
    title: '公安机关签收',
    actor: 'liaison',
    kind: 'record',
    article: '第7条',
    outcomes: [o('received', '已接受', 'policeDecision'), o('passedOn', '非本机关管辖,已转送', 'policeReceipt')],
  },
  {
    ...base,
    key: 'policeDecision',
    title: '公安机关立案决定',
    actor: 'liaison',
    kind: 'record',
    clock: 'byCrimeType',
    article: '第8条',
    // An extension (经济犯罪 to 10 days, complex cases 30 + 30) is a police act too: recorded, then the same step runs
    // on the longer clock, still counted from receipt.
    outcomes: [
      o('filed', '立案', 'handover'),
      o('refused', '不予立案', 'reconsiderationRequest'),
      o('extended', '延长立案审查期限', 'policeDecision'),
    ],
  },
  {
    ...base,
    key: 'handover',
    title: '移交涉案物品和材料',
    actor: 'case_team',
    kind: 'confirm',
    clock: days(3),
    article: '第12条',
    outcomes: [o('handedOver', '已移交', CLOSED)],
  },
  {
    ...base,
    key: 'reconsiderationRequest',
    title: '提请复议或建议立案监督',
    actor: 'agency_head',
    kind: 'approve',
    clock: days(3),
    article: '第9条',
    outcomes: [
      o('requested', '提请复议', 'reconsiderationDecision'),
      o('supervision', '建议检察院立案监督', 'supervisionOutcome'),
      o('accepted', '不再提请', CLOSED),
    ],
  },
  {
    ...base,
    key: 'reconsiderationDecision',
    title: '公安机关复议决定',
    actor: 'liaison',
    kind: 'record',
    clock: days(3),
    article: '第9条',
    outcomes: [o('filed', '立案', 'handover'), o('refused', '维持不予立案', 'supervisionRequest')],
  },
  {
    ...base,
    key: 'supervisionRequest',
    title: '建议检察院立案监督',
    actor: 'agency_head',
    kind: 'approve',
    clock: days(3),
    article: '第9条',
    outcomes: [o('requested', '已建议', 'supervisionOutcome'), o('accepted', '不再建议', CLOSED)],
  },
  // The procuratorate's own periods (the police explain in 7 days; after 通知立案 they file in 15) bind them, not us.
  {
    ...base,
    key: 'supervisionOutcome',
    title: '立案监督结果',
    actor: 'liaison',
    kind: 'record',
    article: '第9条; 刑事诉讼法第113条',
    outcomes: [o('filed', '立案', 'handover'), o('refused', '不立案', CLOSED)],
  },
];

/** 案件移送 between administrative bodies (local rules, e.g.; 《行政处罚法》第25条 for disputes). */
export const INTER_AGENCY_STEPS: ReferralStep[] = [
  {
    ...base,
    key: 'send',
    title: '移送有管辖权的机关(移送函、材料、证据)',
    actor: 'unit',
    kind: 'confirm',
    clock: 'byUrgency',
    article: '(local)',
    outcomes: [o('sent', '已移送', 'receipt')],
  },
  {
    ...base,
    key: 'receipt',
    title: '签收(送达回证)',
    actor: 'receiving_unit',
    kind: 'sign',
    article: '(local)',
    outcomes: [o('signed', '已签收', 'acceptance')],
  },
  {
    ...base,
    key: 'acceptance',
    title: '接收或拒收',
    actor: 'receiving_unit',
    kind: 'reply',
    article: '(local)',
    outcomes: [o('accepted', '接收', CLOSED), o('refused', '拒收(说明理由)', 'dispute')],
  },
  {
    ...base,
    key: 'dispute',
    title: '报请指定管辖',
    actor: 'unit',
    kind: 'confirm',
    article: '行政处罚法第25条',
    outcomes: [o('submitted', '已报请', 'designation'), o('withdrawn', '撤回移送', CLOSED)],
  },
  {
    ...base,
    key: 'designation',
    title: '司法局指定管辖',
    actor: 'bureau',
    kind: 'approve',
    clock: { unit: 'workingDays', amount: 5 },
    article: '行政处罚法第25条; (local)',
    outcomes: [o('designated', '已指定管辖', CLOSED)],
  },
];

/** Police send back a case that needs only an administrative penalty (310 第13条; 《行政处罚法》第27条). No rule gives a clock. */
export const REVERSE_STEPS: ReferralStep[] = [
  {
    ...base,
    key: 'receipt',
    title: '接收公安机关移送',
    actor: 'liaison',
    kind: 'record',
    article: '第13条; 行政处罚法第27条',
    outcomes: [o('received', '已接收', 'acceptance')],
  },
  {
    ...base,
    key: 'acceptance',
    title: '受理审查',
    actor: 'agency_head',
    kind: 'approve',
    article: '行政处罚法第27条',
    outcomes: [o('accepted', '受理', 'feedback'), o('returned', '不属本机关管辖(另行移送)', CLOSED)],
  },
  {
    ...base,
    key: 'feedback',
    title: '反馈处理结果',
    actor: 'case_team',
    kind: 'reply',
    article: '行政处罚法第27条(信息通报)',
    outcomes: [o('reported', '已反馈', CLOSED)],
  },
];
