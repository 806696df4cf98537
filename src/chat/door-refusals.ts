import type { BotContext } from '../processes/chat-kit';

// A request the door refuses (not signed as Feishu signs, outside the window, wrong token) is someone trying to
// act as someone: it goes to the audit trail with who it claimed to be. Capped per process, so a flood of
// forgeries cannot fill the table; past the cap it is only counted in the log.

const AUDITED_PER_MINUTE = 60;
const cap = { minuteStartedAt: 0, written: 0, skipped: 0 };

export interface Refusal {
  status: number;
  body: { error: string };
}

export async function refuse(
  ctx: BotContext,
  path: string,
  status: number,
  reason: string,
  claimed?: unknown,
): Promise<Refusal> {
  const claimedOpenId = claimedOpenIdOf(claimed);
  ctx.log(`已拒绝 ${path} 的请求: ${reason}${claimedOpenId ? `(自称 ${claimedOpenId})` : ''}`);
  const now = Date.now();
  if (now - cap.minuteStartedAt >= 60_000) {
    if (cap.skipped) ctx.log(`上一分钟另有 ${cap.skipped} 次拒绝未写入审计(每分钟最多 ${AUDITED_PER_MINUTE} 条)`);
    Object.assign(cap, { minuteStartedAt: now, written: 0, skipped: 0 });
  }
  if (cap.written < AUDITED_PER_MINUTE) {
    cap.written++;
    const action = actionOf(claimed);
    await ctx.prisma.auditEvent
      .create({
        data: {
          actor: 'unverified',
          action: 'webhook.refused',
          subject: path,
          details: { reason, ...(claimedOpenId && { claimedOpenId }), ...(action && { action }) },
        },
      })
      .catch((error: unknown) => ctx.log(`拒绝记录写入审计失败: ${(error as Error).message}`));
  } else cap.skipped++;
  return { status, body: { error: reason } };
}

/** Who a (possibly forged) body says acted: a card callback's operator, a message's sender, a menu's operator. */
function claimedOpenIdOf(body: unknown): string | undefined {
  const b = body as Record<string, any> | undefined;
  const candidates = [
    b?.open_id,
    b?.event?.operator?.open_id,
    b?.event?.sender?.sender_id?.open_id,
    b?.event?.operator?.operator_id?.open_id,
  ];
  const found = candidates.find((c) => typeof c === 'string' && c.length > 0);
  return found ? String(found).slice(0, 100) : undefined;
}

/** The card button's action name it claimed, when it is a card callback. */
function actionOf(body: unknown): string | undefined {
  const b = body as Record<string, any> | undefined;
  const action = b?.action?.value?.action ?? b?.event?.action?.value?.action;
  return typeof action === 'string' ? action.slice(0, 100) : undefined;
}
