import { STATUS_LABEL } from './rules';
import { dateIn } from '../../core/dates';
import { actorWords, auditActionLabel, auditDetails } from './audit-words';
import { auditFileName, certificateAuditWorkbook, type CertificateAudit } from './audit-workbook';
import { findClicker, NOT_IN_ROSTER, sendWorkbook } from '../send-workbook';
import { reach } from '../scope';
import type { BotContext } from '../chat-kit';
import type { CardActionEvent } from '../../platform/feishu/events';
import type { CardResponse } from '../chat-kit';

// 导出Excel of certificate records (the chat form of `npm run cli -- audit 执法证号`), from the 证件 card. Who may
// export whose is the scope table's (src/core/scope.ts): anyone their own; a unit's admin, head and leader their unit's
// officers; the bureau and its leaders anyone's. A request naming anyone the clicker may not see sends nothing at
// all, and every export of someone else's record is itself recorded on that record.

const MAX_CERTIFICATES = 20;
const warn = (content: string): CardResponse => ({ toast: { type: 'warning', content } });

/** 执法证号 as typed in the card's input: separated by spaces, commas (either width), 、 or semicolons. */
export function parseCertNos(text: unknown): string[] {
  if (typeof text !== 'string') return [];
  return [
    ...new Set(
      text
        .split(/[\s,,、;;]+/)
        .map((t) => t.trim().toUpperCase())
        .filter(Boolean),
    ),
  ];
}

export async function exportCertificateAudit(ctx: BotContext, event: CardActionEvent): Promise<CardResponse> {
  const clicker = await findClicker(ctx, event);
  if (!clicker) return NOT_IN_ROSTER;
  // From the 执法证号 box (its own callback, or a form's value); the button alone means the clicker's own.
  const typed = parseCertNos(event.inputValue ?? event.formValue?.certNos);
  const certNos = typed.length ? typed : [clicker.certNo];
  if (certNos.length > MAX_CERTIFICATES) return warn(`一次最多导出 ${MAX_CERTIFICATES} 个证件的记录`);

  const officers = await ctx.prisma.officer.findMany({
    where: { certNo: { in: certNos } },
    select: { certNo: true, name: true, certStatus: true, unitId: true, unit: { select: { name: true } } },
  });
  const byCertNo = new Map(officers.map((o) => [o.certNo, o]));
  const scope = await reach(ctx.prisma, 'certificateAudit', clicker);
  const mayRead = (certNo: string) => {
    if (certNo === clicker.certNo || scope === 'county') return true;
    return scope === 'unit' && byCertNo.get(certNo)?.unitId === clicker.unit.id;
  };
  const refused = certNos.filter((c) => !mayRead(c));
  if (refused.length) {
    return warn(
      `没有权限导出 ${refused.slice(0, 3).join('、')} 的证件记录:本人可导出自己的证件,法制员和单位负责人可导出本单位人员,司法局可导出全县。`,
    );
  }

  // A case's reminders are recorded under its workflow id, not the certificate: follow the cases opened on it.
  const direct = await ctx.prisma.auditEvent.findMany({ where: { subject: { in: certNos } }, orderBy: { id: 'asc' } });
  const caseIds = new Map<string, string>();
  for (const e of direct) {
    const workflowId = (e.details as { workflowId?: unknown } | null)?.workflowId;
    if (e.action === 'certificate_case.opened' && typeof workflowId === 'string') caseIds.set(workflowId, e.subject);
  }
  const viaCases = caseIds.size
    ? await ctx.prisma.auditEvent.findMany({ where: { subject: { in: [...caseIds.keys()] } }, orderBy: { id: 'asc' } })
    : [];
  const unknown = certNos.filter((c) => !byCertNo.has(c) && !direct.some((e) => e.subject === c));
  if (unknown.length)
    return { toast: { type: 'error', content: `没有执法证号 ${unknown.slice(0, 3).join('、')} 的记录` } };

  const actors = [...new Set([...direct, ...viaCases].map((e) => e.actor))];
  const names = new Map(
    (
      await ctx.prisma.officer.findMany({ where: { openId: { in: actors } }, select: { openId: true, name: true } })
    ).map((o) => [o.openId!, o.name]),
  );
  const audits: CertificateAudit[] = certNos.map((certNo) => {
    const officer = byCertNo.get(certNo);
    const events = [
      ...direct.filter((e) => e.subject === certNo),
      ...viaCases.filter((e) => caseIds.get(e.subject) === certNo),
    ].sort((a, b) => (a.id < b.id ? -1 : 1));
    return {
      certNo,
      name: officer?.name,
      unitName: officer?.unit.name,
      status: officer ? STATUS_LABEL[officer.certStatus] : undefined,
      events: events.map((e) => ({
        at: e.at,
        actor: actorWords(e.actor, names),
        action: auditActionLabel(e.action),
        details: auditDetails(e.action, e.details),
      })),
    };
  });
  const asOf = dateIn(ctx.config.TZ_CALENDAR, new Date());
  const bytes = await certificateAuditWorkbook(audits, ctx.config.TZ_CALENDAR);
  const answer = await sendWorkbook(ctx, event, {
    bytes,
    fileName: auditFileName(audits, asOf),
    kind: 'export-certificate-audit',
    subject: certNos.join(','),
  });
  const others = certNos.filter((c) => c !== clicker.certNo);
  if (answer.toast?.type === 'success' && others.length) {
    await ctx.prisma.auditEvent.createMany({
      data: others.map((certNo) => ({
        actor: event.openId,
        action: 'certificate.audit_exported',
        subject: certNo,
        details: { byName: clicker.name, certNos },
      })),
    });
  }
  return answer;
}
