import type { BotContext } from '../processes/chat-kit';

// Every chat capability is one intent; words and menu keys lead to it. The handlers live in router.ts.
// Keyword matching comes first; the optional LLM (later) only sees text nothing here matched.

export type Intent =
  | 'help'
  | 'myHours'
  | 'reportHours'
  | 'unitHours'
  | 'countyHours'
  | 'myCertificate'
  | 'startCertificateCase'
  | 'unitCertificateCases'
  | 'importTemplates'
  | 'myTodo'
  | 'myEmpowerment'
  | 'empowermentLedger'
  | 'startEmpowermentEvaluation'
  | 'leaderDigest'
  | 'unitRanking'
  | 'startCriminalReferral'
  | 'startInterAgencyReferral'
  | 'dispatchLead'
  | 'openReferrals'
  | 'referralLedger'
  | 'recordCaseAmount'
  | 'receiveReverseReferral';

/** Who asked, and an id unique to the asking (Feishu `uuid` for the reply, so a retry is not a 2nd message). */
export interface Ask {
  openId: string;
  replyKey: string;
  text?: string;
}

export type Handler = (ctx: BotContext, ask: Ask) => Promise<void>;

export interface TextRoute {
  intent: Intent;
  words: string[];
  description: string;
}

export const TEXT_ROUTES: TextRoute[] = [
  { intent: 'myHours', words: ['学时', '我的学时', '培训学时'], description: '我今年的培训学时:已完成、还差多少、最近记录' },
  { intent: 'reportHours', words: ['报学时', '登记学时', '学时登记'], description: '登记参加过的培训,由本单位法制员确认' },
  { intent: 'unitHours', words: ['本单位学时', '单位学时'], description: '(法制员、负责人)本单位学时达标情况和落后人员' },
  { intent: 'countyHours', words: ['学时统计', '全县学时'], description: '(领导、司法局)各单位学时完成率排名' },
  { intent: 'myCertificate', words: ['证件', '我的证件', '执法证', '证'], description: '我的执法证件:状态、有效期、剩余天数' },
  { intent: 'startCertificateCase', words: ['证件办理', '办理证件', '证件变更'], description: '(法制员)申请暂扣、收回、注销或恢复执法证件' },
  { intent: 'unitCertificateCases', words: ['证件案件', '证件审批', '本单位证件案件'], description: '(法制员、负责人)进行中的证件办理和期限' },
  { intent: 'importTemplates', words: ['模板', '导入模板', '表格模板'], description: '(法制员、司法局)人员名册、培训记录、工作日历的空白导入模板;填好后直接发给我即可导入' },
  { intent: 'myTodo', words: ['待办', '我的待办', '待办事项', 'todo'], description: '我要办理的事项(审批、确认等),最急的在前,可直接办理' },
  { intent: 'leaderDigest', words: ['今日提醒', '督办', '领导看板'], description: '(分管领导)所辖单位在办事项:超期、临期按颜色汇总,可一键催办' },
  { intent: 'unitRanking', words: ['单位排名', '排名'], description: '(司法局)各单位学时达标率与按时办理率排名图' },
  { intent: 'startCriminalReferral', words: ['移送案件', '行刑衔接', '移送公安'], description: '(专案组)报告涉嫌犯罪案件,经负责人批准后移送公安机关并抄送检察院' },
  { intent: 'startInterAgencyReferral', words: ['部门移送', '移送其他部门'], description: '(法制员、负责人)把案件移送有管辖权的行政机关,对方在飞书签收' },
  { intent: 'dispatchLead', words: ['派发线索', '派单'], description: '(司法局)把12345或督察线索派给承办单位,计时从派单开始' },
  { intent: 'openReferrals', words: ['移送', '本单位移送', '线索'], description: '(法制员、负责人)进行中的移送和线索:当前步骤和剩余时间' },
  { intent: 'referralLedger', words: ['移送台账'], description: '(司法局、领导)各单位移送和线索的按时率、在办、超期、拒收、退单' },
  { intent: 'recordCaseAmount', words: ['登记案值', '案件金额', '追诉标准'], description: '(执法人员)登记案件金额,达到刑事追诉标准时提示是否移送' },
  { intent: 'receiveReverseReferral', words: ['公安移送', '接收移送', '反向移送'], description: '(法制员)登记公安机关移送需行政处罚的案件' },
  { intent: 'myEmpowerment', words: ['赋权', '赋权事项', '本镇赋权'], description: '(乡镇/街道法制员、负责人)本乡镇的赋权事项:按领域、形式、期限,最近评估,进行中的评估和下一步' },
  { intent: 'empowermentLedger', words: ['赋权台账', '全县赋权'], description: '(司法局、领导)各乡镇/街道赋权事项数、即将届满的委托、进行中的评估、零办件' },
  { intent: 'startEmpowermentEvaluation', words: ['发起赋权评估', '赋权评估'], description: '(司法局)为登记簿中的各乡镇/街道发起本年度赋权事项评估' },
  { intent: 'help', words: ['帮助', 'help', '菜单', '?', '?'], description: '查看执法通能做什么' },
];

export const MENU_ROUTES: Record<string, Intent> = {
  my_hours: 'myHours',
  report_hours: 'reportHours',
  my_certificate: 'myCertificate',
  certificate_case: 'startCertificateCase',
  certificate_cases: 'unitCertificateCases',
  my_todo: 'myTodo',
  help: 'help',
};

export function parseText(text: string): Intent | undefined {
  const normalized = text.trim().toLowerCase();
  return TEXT_ROUTES.find((route) => route.words.includes(normalized))?.intent;
}
