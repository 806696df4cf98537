import { ACTION_LABEL, REASONS, STATUS_LABEL } from './rules';

// The audit trail (audit_event) in the words a bureau files: what each action code means, and its details as a
// sentence instead of JSON. An action not listed here still exports, under its code with the raw details, so a
// new kind of event is never silently dropped from the record.

type Details = Record<string, unknown>;
const s = (v: unknown) => (v === undefined || v === null || v === '' ? '' : String(v));
const join = (...parts: string[]) => parts.filter(Boolean).join(';');
const label = <T extends string>(map: Record<T, string | { label: string }>, key: unknown) => {
  const found = (map as Record<string, string | { label: string }>)[s(key)];
  return found === undefined ? s(key) : typeof found === 'string' ? found : found.label;
};

const ROLE_WORDS: Record<string, string> = {
  officer: '执法人员',
  admin: '法制员',
  supervisor: '单位负责人',
  leader: '领导',
  bureau: '司法局',
};
const FIELD_WORDS: Record<string, string> = {
  name: '姓名',
  unit: '单位',
  role: '角色',
  mobile: '手机号',
  certExpires: '证件有效期',
  openId: '飞书账号',
};
const STEP_WORDS: Record<string, string> = {
  unit_head: '单位负责人审批',
  bureau: '司法局审核',
  handover: '确认证件已交回',
  admin_confirm: '法制员确认',
};
const step = (d: Details) => (d.step ? `环节:${STEP_WORDS[s(d.step)] ?? s(d.step)}` : '');
const comment = (d: Details) => (d.comment ? `意见:${s(d.comment)}` : '');

interface Wording {
  label: string;
  details?: (d: Details) => string;
}

export const AUDIT_ACTIONS: Record<string, Wording> = {
  'officer.created': {
    label: '录入名册',
    details: (d) =>
      join(
        `姓名 ${s(d.name)}`,
        `单位 ${s(d.unit)}`,
        `角色 ${ROLE_WORDS[s(d.role)] ?? s(d.role)}`,
        d.row ? `名册第 ${s(d.row)} 行` : '',
      ),
  },
  'officer.updated': {
    label: '名册信息变更',
    details: (d) => {
      const changes = Object.entries((d.changes ?? {}) as Details).map(
        ([field, value]) =>
          `${FIELD_WORDS[field] ?? field}改为 ${field === 'role' ? (ROLE_WORDS[s(value)] ?? s(value)) : s(value) || '(空)'}`,
      );
      return join(changes.join(','), d.row ? `名册第 ${s(d.row)} 行` : '');
    },
  },
  'officer.open_id_resolved': { label: '绑定飞书账号', details: (d) => `按手机号 ${s(d.mobile)} 找到飞书账号` },
  'officer.open_id_conflict': {
    label: '飞书账号冲突',
    details: (d) => `手机号 ${s(d.mobile)} 对应的飞书账号已由 ${s(d.heldBy)} 使用,未绑定`,
  },
  'certificate.changed': {
    label: '证件状态变更',
    details: (d) =>
      join(
        `${label(ACTION_LABEL, d.action)}:${label(STATUS_LABEL, d.from)} → ${label(STATUS_LABEL, d.to)}`,
        d.reason ? `原因:${label(REASONS, d.reason)}` : '',
        d.approvedBy ? `批准:${s(d.approvedBy)}` : '',
      ),
  },
  'certificate.expiry_notice': {
    label: '到期提醒',
    details: (d) =>
      join(
        `有效期至 ${s(d.expires)}`,
        Number(d.daysLeft) < 0 ? `已过期 ${-Number(d.daysLeft)} 天` : `剩余 ${s(d.daysLeft)} 天`,
      ),
  },
  'certificate_case.opened': {
    label: '申请证件办理',
    details: (d) =>
      join(
        `申请${label(ACTION_LABEL, d.action)}`,
        d.reason ? `原因:${label(REASONS, d.reason)}` : '',
        d.details ? `说明:${s(d.details)}` : '',
      ),
  },
  'certificate_case.approved': {
    label: '审批同意',
    details: (d) => join(step(d), comment(d), d.late ? '超期办理' : ''),
  },
  'certificate_case.rejected': {
    label: '审批驳回',
    details: (d) => join(step(d), comment(d), d.late ? '超期办理' : ''),
  },
  'certificate_case.confirmed': {
    label: '确认办理',
    details: (d) => join(step(d), comment(d), d.late ? '超期办理' : ''),
  },
  'certificate_case.withdrawn': { label: '撤回申请', details: (d) => (d.reason ? `理由:${s(d.reason)}` : '') },
  'case.step_reminded': {
    label: '催办',
    details: (d) => join(step(d), Array.isArray(d.to) ? `提醒 ${d.to.join('、')}` : ''),
  },
  'case.step_overdue': {
    label: '超期提醒',
    details: (d) => join(step(d), Array.isArray(d.to) ? `提醒 ${d.to.join('、')}` : ''),
  },
  'notify.skipped': { label: '通知未送达', details: (d) => join(`${s(d.to)}`, s(d.why)) },
  'certificate.audit_exported': {
    label: '导出证件记录',
    details: (d) =>
      join(
        `由 ${s(d.byName)} 导出`,
        Array.isArray(d.certNos) && d.certNos.length > 1 ? `共 ${d.certNos.length} 个证件` : '',
      ),
  },
  'training.report_confirmed': { label: '确认学时', details: (d) => `${s(d.course)} ${s(d.hours)} 学时` },
  'training.report_rejected': {
    label: '驳回学时',
    details: (d) => join(`${s(d.course)} ${s(d.hours)} 学时`, d.reason ? `理由:${s(d.reason)}` : ''),
  },
};

export function auditActionLabel(action: string): string {
  return AUDIT_ACTIONS[action]?.label ?? action;
}

export function auditDetails(action: string, details: unknown): string {
  const d = details && typeof details === 'object' && !Array.isArray(details) ? (details as Details) : {};
  const wording = AUDIT_ACTIONS[action]?.details;
  if (wording) return wording(d);
  return Object.keys(d).length ? JSON.stringify(d) : '';
}

const SYSTEM_WORDS: Record<string, string> = {
  'system:deadline': '系统(期限提醒)',
  'system:expiry-watch': '系统(到期提醒)',
  'system:roster-sync': '系统(账号绑定)',
  'system:sender': '系统(消息发送)',
  'system:training-year': '系统(培训年度)',
  'system:shipped-calendar': '系统(工作日历)',
};

/** An actor as a person reads it: a name for an open_id we know, 命令行 for the CLI, 系统(…) for the workflows. */
export function actorWords(actor: string, names: Map<string, string>): string {
  if (names.has(actor)) return names.get(actor)!;
  if (actor === 'cli') return '命令行导入';
  if (actor.startsWith('system:')) return SYSTEM_WORDS[actor] ?? `系统(${actor.slice(7)})`;
  return actor;
}
