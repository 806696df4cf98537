import { CERT_NO_PATTERN, overLimit, TEXT_LIMITS } from '../../core/text-limits';
import {
  columnLabel,
  mapHeaders,
  normalizeCell,
  parseDate,
  type ColumnSpec,
  type RowError,
  type SheetRow,
} from '../../core/table-rows';

// The roster (人员名册) file: columns from DESIGN.md, Chinese or English headers. Pure validation only;
// src/processes/roster/import.ts writes what passes.

export type Role = 'officer' | 'admin' | 'supervisor' | 'leader' | 'bureau';

export const ROSTER_COLUMNS: ColumnSpec<'name' | 'certNo' | 'unit' | 'role' | 'openId' | 'mobile' | 'certExpires'> = {
  name: { aliases: ['name', '姓名'], required: true },
  certNo: { aliases: ['cert_no', '执法证号', '证号', '执法证件号'], required: true },
  unit: { aliases: ['unit', '单位', '所在单位'], required: true },
  role: { aliases: ['role', '角色'], required: false },
  openId: { aliases: ['open_id', 'openid'], required: false },
  mobile: { aliases: ['mobile', '手机号', '手机', '手机号码'], required: false },
  certExpires: { aliases: ['cert_expires', '证件有效期', '有效期', '有效期至'], required: false },
};

const ROLE_WORDS: Record<string, Role> = {
  officer: 'officer',
  执法人员: 'officer',
  行政执法人员: 'officer',
  admin: 'admin',
  管理员: 'admin',
  法制员: 'admin',
  supervisor: 'supervisor',
  负责人: 'supervisor',
  单位负责人: 'supervisor',
  leader: 'leader',
  领导: 'leader',
  分管领导: 'leader',
  bureau: 'bureau',
  司法局: 'bureau',
};

export interface OfficerRow {
  row: number;
  name: string;
  certNo: string;
  unit: string;
  role: Role;
  openId?: string;
  mobile?: string;
  certExpires?: string;
}

export type RosterResult = { ok: true; officers: OfficerRow[] } | { ok: false; errors: RowError[] };

export function validateRoster(headers: string[], rows: SheetRow[]): RosterResult {
  const { columns, missing } = mapHeaders(headers, ROSTER_COLUMNS);
  if (missing.length) {
    return {
      ok: false,
      errors: missing.map((field) => ({
        row: 1,
        column: ROSTER_COLUMNS[field].aliases[1] ?? field,
        value: '',
        message: `缺少必填列(可写作 ${ROSTER_COLUMNS[field].aliases.join(' / ')})`,
      })),
    };
  }
  const errors: RowError[] = [];
  const officers: OfficerRow[] = [];
  const firstRowOf = { certNo: new Map<string, number>(), openId: new Map<string, number>() };
  for (const { row, cells } of rows) {
    const cell = (field: keyof typeof ROSTER_COLUMNS) => {
      const index = columns[field];
      return index === undefined ? '' : normalizeCell(cells[index] ?? '');
    };
    const fail = (field: keyof typeof ROSTER_COLUMNS, message: string) =>
      errors.push({ row, column: columnLabel(field, ROSTER_COLUMNS, headers, columns), value: cell(field), message });
    const before = errors.length;

    const name = cell('name');
    const nameTooLong = overLimit('姓名', name, TEXT_LIMITS.personName);
    if (!name) fail('name', '姓名不能为空');
    else if (nameTooLong) fail('name', nameTooLong);
    const certNo = cell('certNo').replace(/\s+/g, '').toUpperCase();
    const certNoTooLong = overLimit('执法证号', certNo, TEXT_LIMITS.certNo);
    if (!certNo) fail('certNo', '执法证号不能为空');
    else if (certNoTooLong) fail('certNo', certNoTooLong);
    else if (!CERT_NO_PATTERN.test(certNo)) fail('certNo', '执法证号只能包含字母、数字和连字符(-)');
    else if (firstRowOf.certNo.has(certNo)) fail('certNo', `执法证号与第${firstRowOf.certNo.get(certNo)}行重复`);
    else firstRowOf.certNo.set(certNo, row);
    const unit = cell('unit');
    const unitTooLong = overLimit('单位', unit, TEXT_LIMITS.unitName);
    if (!unit) fail('unit', '单位不能为空');
    else if (unitTooLong) fail('unit', unitTooLong);
    const roleText = cell('role');
    const role = roleText ? ROLE_WORDS[roleText.toLowerCase()] : 'officer';
    if (!role)
      fail('role', `未知角色,可用:officer/执法人员、admin/法制员、supervisor/负责人、leader/领导、bureau/司法局`);
    const openId = cell('openId') || undefined;
    if (openId && !/^ou_[0-9a-zA-Z_]+$/.test(openId)) fail('openId', 'open_id 应以 ou_ 开头');
    else if (openId && firstRowOf.openId.has(openId))
      fail('openId', `open_id 与第${firstRowOf.openId.get(openId)}行重复`);
    else if (openId) firstRowOf.openId.set(openId, row);
    const mobile = normalizeMobile(cell('mobile'));
    if (mobile === null) fail('mobile', '手机号应为 11 位数字(可带 +86)');
    const expiresText = cell('certExpires');
    const certExpires = expiresText ? parseDate(expiresText) : undefined;
    if (expiresText && !certExpires) fail('certExpires', '日期无法识别,请写作 2027-06-30 或 2027年6月30日');

    if (errors.length === before) {
      officers.push({ row, name, certNo, unit, role: role!, openId, mobile: mobile || undefined, certExpires });
    }
  }
  return errors.length ? { ok: false, errors } : { ok: true, officers };
}

/** '' when empty, the 11-digit mobile when valid, null when not a mobile number. */
function normalizeMobile(value: string): string | null {
  if (!value) return '';
  const digits = value.replace(/[\s-]/g, '').replace(/^(\+?86)/, '');
  return /^1\d{10}$/.test(digits) ? digits : null;
}
