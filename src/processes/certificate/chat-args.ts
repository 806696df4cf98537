import { z } from 'zod';
import { ACTION_LABEL, REASONS, type CertificateAction, type ReasonCode } from './rules';

// What the model (or a fixed sentence shape) may fill for 证件办理, and the two shapes that need no model.

const ACTIONS = Object.keys(ACTION_LABEL) as [CertificateAction, ...CertificateAction[]];
const REASON_CODES = Object.keys(REASONS) as [ReasonCode, ...ReasonCode[]];

// Unknown keys are dropped rather than refused: models like to add a `year` or a `note` nobody asked for.
export const StartCertificateCaseArgs = z.object({
  officer: z
    .string()
    .trim()
    .min(1)
    .max(40)
    .optional()
    .describe('执法人员的姓名或执法证号,按用户原话填写;用户没说是谁时不填'),
  action: z
    .enum(ACTIONS)
    .optional()
    .describe(`办理事项:${ACTIONS.map((a) => `${a}=${ACTION_LABEL[a]}`).join(',')}`),
  reason: z
    .enum(REASON_CODES)
    .optional()
    .describe(`原因:${REASON_CODES.map((r) => `${r}=${REASONS[r].label}`).join(',')}`),
  details: z.string().trim().max(500).optional().describe('情况说明,用户原话中的补充信息'),
});

// Two fixed sentence shapes that need no model: 「暂扣张三的证」 and 「张三的证件暂扣」 (a name of 2–4 characters or a
// 执法证号, then 证/证件/执法证). Anything looser goes to the model, or gets the help card.
const WHO = '([\\u4e00-\\u9fa5]{2,4}?|[A-Za-z0-9-]{3,20})';
const NOT_A_NAME = /^(一个|一位|这个|那个|这位|那位|有个|有位|某|他|她|我|你)/;
const VERB = '(暂扣|收回|注销|恢复)';
const CERT = '(?:执法证件|执法证|证件|证)';
const ACTION_FIRST = new RegExp(`^${VERB}${WHO}的?${CERT}$`);
const OFFICER_FIRST = new RegExp(`^${WHO}的${CERT}${VERB}$`);
const ACTION_CODE = Object.fromEntries(Object.entries(ACTION_LABEL).map(([code, label]) => [label, code]));

/** 「暂扣张三的证」 → `{ officer: '张三', action: 'suspend' }`; anything else → undefined. */
export function parseCertificateSentence(text: string): { officer: string; action: string } | undefined {
  const compact = text.trim().replace(/\s+/g, '');
  const first = ACTION_FIRST.exec(compact);
  const second = first ? undefined : OFFICER_FIRST.exec(compact);
  const [verb, officer] = first ? [first[1]!, first[2]!] : second ? [second[2]!, second[1]!] : [];
  return verb && officer && !NOT_A_NAME.test(officer) ? { officer, action: ACTION_CODE[verb]! } : undefined;
}
