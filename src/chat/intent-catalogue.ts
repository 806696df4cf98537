import { z } from 'zod';
import { ACTION_LABEL, REASONS, type CertificateAction, type ReasonCode } from '../processes/certificate/rules';
import { parseText, TEXT_ROUTES, type Intent } from './intents';

// Every chat capability as one entry: its arguments (a zod schema), what it does in Chinese, and whether it
// changes anything. The keyword parser and the model both produce the same `{ intent, args }`; the LLM's tool
// list is generated from here, so adding an intent here is the only way the model learns of it.

const ACTIONS = Object.keys(ACTION_LABEL) as [CertificateAction, ...CertificateAction[]];
const REASON_CODES = Object.keys(REASONS) as [ReasonCode, ...ReasonCode[]];

// Unknown keys are dropped rather than refused: models like to add a `year` or a `note` nobody asked for.
const NoArgs = z.object({});

export const StartCertificateCaseArgs = z
  .object({
    officer: z.string().trim().min(1).max(40).optional().describe('执法人员的姓名或执法证号,按用户原话填写;用户没说是谁时不填'),
    action: z.enum(ACTIONS).optional().describe(`办理事项:${ACTIONS.map((a) => `${a}=${ACTION_LABEL[a]}`).join(',')}`),
    reason: z.enum(REASON_CODES).optional().describe(`原因:${REASON_CODES.map((r) => `${r}=${REASONS[r].label}`).join(',')}`),
    details: z.string().trim().max(500).optional().describe('情况说明,用户原话中的补充信息'),
  });

export interface IntentSpec {
  args: z.ZodObject;
  description: string;
  changesState: boolean;
}

const description = (intent: Intent) => TEXT_ROUTES.find((r) => r.intent === intent)!.description;

export const CATALOGUE: Record<Intent, IntentSpec> = {
  help: { args: NoArgs, description: description('help'), changesState: false },
  myHours: { args: NoArgs, description: description('myHours'), changesState: false },
  reportHours: { args: NoArgs, description: `${description('reportHours')}(打开登记表)`, changesState: false },
  unitHours: { args: NoArgs, description: description('unitHours'), changesState: false },
  countyHours: { args: NoArgs, description: description('countyHours'), changesState: false },
  myCertificate: { args: NoArgs, description: description('myCertificate'), changesState: false },
  startCertificateCase: { args: StartCertificateCaseArgs, description: description('startCertificateCase'), changesState: true },
  unitCertificateCases: { args: NoArgs, description: description('unitCertificateCases'), changesState: false },
  importTemplates: { args: NoArgs, description: description('importTemplates'), changesState: false },
  myTodo: { args: NoArgs, description: description('myTodo'), changesState: false },
  myEmpowerment: { args: NoArgs, description: description('myEmpowerment'), changesState: false },
  empowermentLedger: { args: NoArgs, description: description('empowermentLedger'), changesState: false },
  startEmpowermentEvaluation: { args: NoArgs, description: description('startEmpowermentEvaluation'), changesState: true },
  leaderDigest: { args: NoArgs, description: description('leaderDigest'), changesState: false },
  unitRanking: { args: NoArgs, description: description('unitRanking'), changesState: false },
  startCriminalReferral: { args: NoArgs, description: `${description('startCriminalReferral')}(打开报告表)`, changesState: false },
  startInterAgencyReferral: { args: NoArgs, description: `${description('startInterAgencyReferral')}(打开移送表)`, changesState: false },
  dispatchLead: { args: NoArgs, description: `${description('dispatchLead')}(打开派单表)`, changesState: false },
  openReferrals: { args: NoArgs, description: description('openReferrals'), changesState: false },
  referralLedger: { args: NoArgs, description: description('referralLedger'), changesState: false },
  recordCaseAmount: { args: NoArgs, description: `${description('recordCaseAmount')}(打开登记表)`, changesState: false },
  receiveReverseReferral: { args: NoArgs, description: `${description('receiveReverseReferral')}(打开登记表)`, changesState: false },
};

export const INTENT_NAMES = Object.keys(CATALOGUE) as Intent[];

export interface ParsedIntent {
  intent: Intent;
  args: Record<string, unknown>;
}

export function isIntent(name: unknown): name is Intent {
  return typeof name === 'string' && name in CATALOGUE;
}

/** The catalogue's check on an answer (from the model, or a card button): a known intent with valid arguments. */
export function validateIntent(intent: unknown, args: unknown): { ok: true; parsed: ParsedIntent } | { ok: false; error: string } {
  if (!isIntent(intent)) return { ok: false, error: `unknown intent ${JSON.stringify(intent)}; choose one of ${INTENT_NAMES.join(', ')}` };
  // Models often send null or "" for an argument they leave out; that is "not given", not an error.
  const given = args && typeof args === 'object' && !Array.isArray(args) ? Object.fromEntries(Object.entries(args).filter(([, v]) => v !== null && v !== '')) : args;
  const result = CATALOGUE[intent].args.safeParse(given ?? {});
  if (!result.success) return { ok: false, error: `invalid arguments for ${intent}: ${z.prettifyError(result.error)}` };
  return { ok: true, parsed: { intent, args: result.data as Record<string, unknown> } };
}

// Two fixed sentence shapes that need no model: 「暂扣张三的证」 and 「张三的证件暂扣」 (a name of 2–4 characters or a
// 执法证号, then 证/证件/执法证). Anything looser goes to the model, or gets the help card.
const WHO = '([\\u4e00-\\u9fa5]{2,4}?|[A-Za-z0-9-]{3,20})';
const NOT_A_NAME = /^(一个|一位|这个|那个|这位|那位|有个|有位|某|他|她|我|你)/;
const VERB = '(暂扣|收回|注销|恢复)';
const CERT = '(?:执法证件|执法证|证件|证)';
const ACTION_FIRST = new RegExp(`^${VERB}${WHO}的?${CERT}$`);
const OFFICER_FIRST = new RegExp(`^${WHO}的${CERT}${VERB}$`);
const ACTION_CODE = Object.fromEntries(Object.entries(ACTION_LABEL).map(([code, label]) => [label, code]));

/** The keyword parser as the catalogue sees it: a whole-word match (no arguments), or one of the fixed shapes. */
export function parseKeywords(text: string): ParsedIntent | undefined {
  const intent = parseText(text);
  if (intent) return { intent, args: {} };
  const compact = text.trim().replace(/\s+/g, '');
  const first = ACTION_FIRST.exec(compact);
  const second = first ? undefined : OFFICER_FIRST.exec(compact);
  const [verb, officer] = first ? [first[1]!, first[2]!] : second ? [second[2]!, second[1]!] : [];
  return verb && officer && !NOT_A_NAME.test(officer) ? { intent: 'startCertificateCase', args: { officer, action: ACTION_CODE[verb]! } } : undefined;
}

/** A state-changing intent with arguments goes through a confirmation card; without them, its form/handler. */
export function needsConfirmation(parsed: ParsedIntent): boolean {
  return CATALOGUE[parsed.intent].changesState && Object.keys(parsed.args).length > 0;
}
