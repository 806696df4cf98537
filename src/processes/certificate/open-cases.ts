import { caseViewQuery, type CaseView } from '../casework/contract';
import { CERTIFICATE_CASE_TYPE, certificateCaseWorkflowId } from './contract';
import { describeDue } from '../../core/deadlines';
import { card, markdown, note } from '../../core/cards/card-kit';
import { escapeMarkdownLine as esc } from '../../core/cards/escape';
import type { BotContext } from '../chat-kit';
import type { Ask } from '../chat-kit';
import { reach } from '../scope';
import { findAsker } from '../roster/asker';

// Seeing open cases: Temporal is the source (visibility by search attributes, the case view by query),
// so what chat shows is what the workflows hold — no second copy to drift.

const LIST_LIMIT = 20;

export async function openCertificateCase(ctx: BotContext, certNo: string): Promise<CaseView | undefined> {
  try {
    const handle = ctx.temporal.workflow.getHandle(certificateCaseWorkflowId(certNo));
    const description = await handle.describe();
    if (description.status.name !== 'RUNNING') return undefined;
    return await handle.query(caseViewQuery);
  } catch {
    return undefined; // no case, or no worker to answer right now: the card simply shows no case
  }
}

export async function showUnitCertificateCases(ctx: BotContext, ask: Ask): Promise<void> {
  const asker = await findAsker(ctx, ask);
  if (!asker) return;
  const scope = await reach(ctx.prisma, 'certificateCases', asker);
  if (scope === 'none') {
    await ctx.feishu.sendText(
      ask.openId,
      '本单位证件案件由法制员和负责人查看。查看自己的证件请发送「证件」。',
      ask.replyKey,
    );
    return;
  }
  // A unit's people (its leader too) see their unit's cases; the bureau and its leaders every unit's.
  const unitFilter = scope === 'county' ? '' : ` AND LawDeskUnit = '${asker.unit.name.replace(/'/g, "''")}'`;
  const query = `LawDeskCaseType = '${CERTIFICATE_CASE_TYPE}' AND ExecutionStatus = 'Running'${unitFilter}`;
  const views: CaseView[] = [];
  for await (const run of ctx.temporal.workflow.list({ query })) {
    try {
      views.push(await ctx.temporal.workflow.getHandle(run.workflowId).query(caseViewQuery));
    } catch {
      // finished between list and query
    }
    if (views.length >= LIST_LIMIT) break;
  }
  const now = new Date();
  const lines = views.map((v) => {
    const step = v.currentStep;
    const due = step?.deadline ? describeDue(step.deadline.dueAt, now, ctx.config.TZ_CALENDAR) : '';
    return `- **${esc(v.caseType)}** ${esc(v.title)} · ${step ? `${esc(step.title)}(${esc(step.owner.name)})${due ? ` · ${due}` : ''}` : '处理中'}`;
  });
  await ctx.feishu.sendCard(
    ask.openId,
    card(`进行中的证件办理 · ${unitFilter ? asker.unit.name : '全县'}`, views.length ? 'blue' : 'green', [
      markdown(lines.length ? lines.join('\n') : '目前没有进行中的证件办理。'),
      note(`发送「证件办理」发起新的申请。最多显示 ${LIST_LIMIT} 件。`),
    ]),
    ask.replyKey,
  );
}
