import type { BotContext } from '../processes/chat-kit';
import type { CardActionEvent, IncomingEvent } from '../platform/feishu/events';
import { decideCase, withdrawCase } from '../processes/casework/chat';
import { askToConfirm, cancelIntent, confirmIntent, editIntent, pickOfficer } from './confirm-intent';
import { confirmFileImport, receiveFile, sendImportTemplates } from '../processes/files/chat';
import { nudgeOwner, openDeskCase, showLeaderDigest, showMyTodo, showUnitRanking } from '../processes/desk/chat';
import { showCertificateCaseForm, startTrainingSuspension, submitCertificateCase } from '../processes/certificate/chat';
import { showHelp } from './help';
import { exportEmpowermentLedger, exportTownshipEmpowerment, showEmpowermentLedger, showMyEmpowerment, startEmpowermentEvaluation } from '../processes/empowerment/chat';
import { answerReferralPrompt, showCaseAmountForm, submitCaseAmount } from '../processes/referral/threshold-chat';
import { exportReferralLedger, showCriminalReferralForm, showInterAgencyForm, showLeadForm, showOpenReferrals, showReferralLedger, showReverseReferralForm, submitCriminalReferral, submitInterAgencyReferral, submitLead, submitReverseReferral } from '../processes/referral/chat';
import { showMyCertificate } from '../processes/certificate/my-certificate';
import { showUnitCertificateCases } from '../processes/certificate/open-cases';
import { showCountyHours, showMyHours, showTrainingReportForm, showUnitHours, submitTrainingReport } from '../processes/training/chat';
import { exportCertificateAudit } from '../processes/certificate/audit-export';
import { exportCountyHours, exportUnitHours, exportYearEnd } from '../processes/training/export';
import { needsConfirmation, parseKeywords } from './intent-catalogue';
import { MENU_ROUTES, type Ask, type Handler, type Intent } from './intents';
import { understandInChat } from './llm/chat';

// The routing table: intent → handler, card action → handler, with help as the fallback.

const HANDLERS: Record<Intent, Handler> = {
  help: showHelp,
  myHours: showMyHours,
  reportHours: showTrainingReportForm,
  unitHours: showUnitHours,
  countyHours: showCountyHours,
  myCertificate: showMyCertificate,
  startCertificateCase: showCertificateCaseForm,
  unitCertificateCases: showUnitCertificateCases,
  importTemplates: sendImportTemplates,
  myTodo: showMyTodo,
  myEmpowerment: showMyEmpowerment,
  empowermentLedger: showEmpowermentLedger,
  startEmpowermentEvaluation: startEmpowermentEvaluation,
  leaderDigest: showLeaderDigest,
  unitRanking: showUnitRanking,
  startCriminalReferral: showCriminalReferralForm,
  startInterAgencyReferral: showInterAgencyForm,
  dispatchLead: showLeadForm,
  openReferrals: showOpenReferrals,
  referralLedger: showReferralLedger,
  recordCaseAmount: showCaseAmountForm,
  receiveReverseReferral: showReverseReferralForm,
};

/** Routes a message or menu click and replies; resolves once the reply (or the polite error message) is out. */
export async function dispatchEvent(ctx: BotContext, event: Exclude<IncomingEvent, CardActionEvent>): Promise<void> {
  const ask: Ask = { openId: event.openId, replyKey: `ev-${event.eventId}`, text: event.kind === 'message' ? event.text : undefined };
  try {
    if (event.kind === 'menu') return await HANDLERS[MENU_ROUTES[event.eventKey] ?? 'help'](ctx, ask);
    if (event.file) return await receiveFile(ctx, ask, event.messageId, event.file);
    if (event.text === undefined) return await showHelp(ctx, ask, '目前只能读懂文字消息。');
    // Keywords first; only unmatched text goes to the model (when one is configured).
    const parsed = parseKeywords(event.text) ?? (await understandInChat(ctx, ask));
    if (parsed === 'answered') return;
    if (!parsed) return await showHelp(ctx, ask, `没有听懂「${event.text.slice(0, 40)}」。`);
    if (needsConfirmation(parsed)) return await askToConfirm(ctx, ask, parsed);
    return await HANDLERS[parsed.intent](ctx, ask);
  } catch (error) {
    // Never silence: the log gets why, the person hears that it failed. Resolving means someone was answered
    // (the delivery is done); only when even this message cannot go out does it throw, leaving it open.
    ctx.log(`处理事件失败 ${event.eventId}: ${(error as Error)?.stack ?? error}`);
    await ctx.feishu.sendText(ask.openId, '抱歉,系统暂时出错,请稍后再试。如一直不行,请联系本单位法制员。', `${ask.replyKey}-error`);
  }
}

export interface CardResponse {
  toast?: { type: 'success' | 'error' | 'info' | 'warning'; content: string };
  card?: { type: 'raw'; data: Record<string, unknown> };
}

type CardHandler = (ctx: BotContext, event: CardActionEvent) => Promise<CardResponse>;

/** Card buttons carry `{ action: <name>, ... }` in their value. */
const CARD_ACTIONS: Record<string, CardHandler> = {
  // A button on the help card that runs an intent, as if the words had been typed.
  run_intent: async (ctx, event) => {
    const intent = event.value.intent as Intent;
    if (!(intent in HANDLERS)) return { toast: { type: 'error', content: '这个按钮已失效' } };
    await HANDLERS[intent](ctx, { openId: event.openId, replyKey: `card-${event.eventId ?? Date.now()}` });
    return { toast: { type: 'success', content: '已发送' } };
  },
  certificate_case_submit: submitCertificateCase,
  start_training_suspension: startTrainingSuspension,
  training_report_submit: submitTrainingReport,
  export_unit_hours: exportUnitHours,
  export_county_hours: exportCountyHours,
  export_year_end: exportYearEnd,
  export_certificate_audit: exportCertificateAudit,
  file_import: confirmFileImport,
  intent_confirm: confirmIntent,
  intent_pick: pickOfficer,
  intent_edit: editIntent,
  intent_cancel: cancelIntent,
  case_decide: decideCase,
  export_empowerment_township: exportTownshipEmpowerment,
  export_empowerment_ledger: exportEmpowermentLedger,
  case_withdraw: withdrawCase,
  deadline_nudge: nudgeOwner,
  desk_open: openDeskCase,
  criminal_referral_submit: submitCriminalReferral,
  inter_agency_referral_submit: submitInterAgencyReferral,
  lead_dispatch_submit: submitLead,
  export_referral_ledger: exportReferralLedger,
  case_amount_submit: submitCaseAmount,
  referral_prompt_answer: answerReferralPrompt,
  reverse_referral_submit: submitReverseReferral,
};

export async function dispatchCardAction(ctx: BotContext, event: CardActionEvent): Promise<CardResponse> {
  const handler = CARD_ACTIONS[String(event.value.action)];
  if (!handler) return { toast: { type: 'error', content: '这个按钮已失效,请重新发送指令' } };
  return handler(ctx, event);
}
