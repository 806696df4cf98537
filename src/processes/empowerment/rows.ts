import {
  FORM_LABEL,
  GRANT_FIELD_LABEL,
  validateGrant,
  type Grant,
  type GrantDraft,
  type GrantField,
  type GrantForm,
  type GrantRules,
  type Matter,
} from './rules';
import {
  columnLabel,
  type ColumnSpec,
  mapHeaders,
  missingColumnErrors,
  normalizeCell,
  parseDate,
  type RowError,
  type SheetRow,
} from '../../core/table-rows';

// The empowerment register file (赋权事项登记表): one row per matter of a grant, Chinese or English headers.
// Rows of the same township + form + 文号 form one grant, so its grant-level cells must agree. Pure; the
// importer writes what passes, all or nothing, like the roster.

type Column =
  | 'township'
  | 'form'
  | 'documentNo'
  | 'department'
  | 'authority'
  | 'termStart'
  | 'termEnd'
  | 'filed'
  | 'published'
  | 'matterCode'
  | 'matterName'
  | 'field'
  | 'legalBasis';

// The Chinese alias second: it names a missing column and heads exported files.
export const EMPOWERMENT_COLUMNS: ColumnSpec<Column> = {
  township: { aliases: ['township', '乡镇/街道', '乡镇', '街道', '乡镇街道'], required: true },
  form: { aliases: ['form', '形式', '赋权形式', '赋权方式'], required: true },
  documentNo: { aliases: ['document_no', '文号', '决定文号', '委托书编号', '委托书文号'], required: true },
  department: { aliases: ['department', '委托部门', '委托单位'], required: false },
  authority: { aliases: ['authority', '权限', '委托权限'], required: false },
  termStart: { aliases: ['term_start', '期限起', '委托期限起', '起始日期'], required: false },
  termEnd: { aliases: ['term_end', '期限止', '委托期限止', '截止日期'], required: false },
  filed: { aliases: ['filed', '备案日期', 'filed_date'], required: false },
  published: { aliases: ['published', '公布日期', '公开日期', 'published_date'], required: false },
  matterCode: { aliases: ['matter_code', '事项编码', '事项代码'], required: true },
  matterName: { aliases: ['matter_name', '事项名称'], required: true },
  field: { aliases: ['field', '领域', '执法领域'], required: true },
  legalBasis: { aliases: ['legal_basis', '法律依据', '设定依据'], required: true },
};

const FORM_WORDS: Record<string, GrantForm> = {
  交由行使: 'delegated',
  交由: 'delegated',
  delegated: 'delegated',
  委托: 'entrusted',
  委托行使: 'entrusted',
  entrusted: 'entrusted',
};

/** Grant-level cells: the same on every row of one grant. */
const GRANT_COLUMNS = [
  'department',
  'authority',
  'termStart',
  'termEnd',
  'filed',
  'published',
] as const satisfies readonly GrantField[];
const DATE_COLUMNS = new Set<Column>(['termStart', 'termEnd', 'filed', 'published']);
const MATTER_COLUMN: Record<keyof Matter, Column> = {
  code: 'matterCode',
  name: 'matterName',
  field: 'field',
  legalBasis: 'legalBasis',
};

interface ParsedRow {
  row: number;
  key: string;
  form: GrantForm;
  values: Record<Column, string>;
}

export type EmpowermentImport = { ok: true; grants: Grant[] } | { ok: false; errors: RowError[] };

export function validateEmpowermentRows(headers: string[], rows: SheetRow[], rules?: GrantRules): EmpowermentImport {
  const { columns, missing } = mapHeaders(headers, EMPOWERMENT_COLUMNS);
  if (missing.length) {
    return {
      ok: false,
      errors: missing.map((f) => ({
        row: 1,
        column: EMPOWERMENT_COLUMNS[f].aliases[1]!,
        value: '',
        message: `缺少必填列(可写作 ${EMPOWERMENT_COLUMNS[f].aliases.join(' / ')})`,
      })),
    };
  }
  const errors: RowError[] = [];
  const fail = (row: number, field: Column, value: string, message: string) =>
    errors.push({ row, column: columnLabel(field, EMPOWERMENT_COLUMNS, headers, columns), value, message });

  // 1. Each row on its own: the grouping key, dates, one township's matter codes unique.
  const parsed: ParsedRow[] = [];
  const firstRowOfMatter = new Map<string, number>();
  for (const { row, cells } of rows) {
    const raw = {} as Record<Column, string>;
    for (const f of Object.keys(EMPOWERMENT_COLUMNS) as Column[])
      raw[f] = columns[f] === undefined ? '' : normalizeCell(cells[columns[f]!] ?? '');
    const before = errors.length;
    const values = {
      ...raw,
      documentNo: raw.documentNo.replace(/\s+/g, ''),
      matterCode: raw.matterCode.replace(/\s+/g, '').toUpperCase(),
    };
    if (!values.township) fail(row, 'township', '', '乡镇/街道不能为空');
    const form = FORM_WORDS[values.form.toLowerCase()];
    if (!form) fail(row, 'form', raw.form, '形式应为「交由行使」或「委托」');
    if (!values.documentNo) fail(row, 'documentNo', '', form === 'entrusted' ? '委托书编号不能为空' : '文号不能为空');
    for (const f of DATE_COLUMNS) {
      if (!raw[f]) continue;
      const date = parseDate(raw[f]);
      if (date) values[f] = date;
      else fail(row, f, raw[f], '日期无法识别,请写作 2026-03-05 或 2026年3月5日');
    }
    const matterKey = `${values.township}|${values.matterCode}`;
    if (values.township && values.matterCode && firstRowOfMatter.has(matterKey)) {
      fail(row, 'matterCode', values.matterCode, `事项编码已在第${firstRowOfMatter.get(matterKey)}行赋予同一乡镇/街道`);
    } else if (values.township && values.matterCode) firstRowOfMatter.set(matterKey, row);
    if (errors.length === before)
      parsed.push({ row, key: `${values.township}|${form}|${values.documentNo}`, form: form!, values });
  }

  // 2. Rows into grants: grant-level cells must agree with the grant's first row.
  const groups = new Map<string, ParsedRow[]>();
  for (const p of parsed) groups.set(p.key, [...(groups.get(p.key) ?? []), p]);
  const grants: Grant[] = [];
  for (const group of groups.values()) {
    const first = group[0]!;
    const consistent = group.filter((p) => {
      const differing = GRANT_COLUMNS.filter((f) => p.values[f] !== first.values[f]);
      for (const f of differing) {
        fail(
          p.row,
          f,
          p.values[f],
          `与第${first.row}行不一致(第${first.row}行为「${first.values[f] || '空'}」);同一${FORM_LABEL[p.form]}文号的各行${GRANT_FIELD_LABEL[f]}应相同`,
        );
      }
      return differing.length === 0;
    });
    // 3. The grant's own rules (fields per form, term), reported on the rows they come from.
    const v = first.values;
    const draft: GrantDraft = {
      form: first.form,
      township: v.township,
      documentNo: v.documentNo,
      ...Object.fromEntries(GRANT_COLUMNS.filter((f) => v[f]).map((f) => [f, v[f]])),
      matters: consistent.map((p) => ({
        code: p.values.matterCode,
        name: p.values.matterName,
        field: p.values.field,
        legalBasis: p.values.legalBasis,
      })),
    };
    const check = validateGrant(draft, rules);
    if (check.ok) grants.push(check.grant);
    else {
      const rowList = group.length > 1 ? `(同一文号第${group.map((p) => p.row).join('、')}行)` : '';
      for (const problem of check.problems) {
        if (problem.field !== 'matters')
          fail(first.row, problem.field, v[problem.field] ?? '', problem.message + rowList);
        else if (problem.matterIndex === undefined) fail(first.row, 'matterCode', '', problem.message);
        else {
          const p = consistent[problem.matterIndex]!;
          const column = MATTER_COLUMN[problem.matterField ?? 'code'];
          fail(p.row, column, p.values[column], problem.message);
        }
      }
    }
  }
  errors.sort((a, b) => a.row - b.row);
  return errors.length ? { ok: false, errors } : { ok: true, grants };
}

/** The register as a sheet that imports back unchanged: Chinese headers, one row per matter. */
export function grantsToSheet(grants: Grant[]): { headers: string[]; rows: string[][] } {
  const fields = Object.keys(EMPOWERMENT_COLUMNS) as Column[];
  const rows = grants.flatMap((g) =>
    g.matters.map((m) => {
      const values: Record<Column, string> = {
        township: g.township,
        form: FORM_LABEL[g.form],
        documentNo: g.documentNo,
        department: g.form === 'entrusted' ? g.department : '',
        authority: g.form === 'entrusted' ? g.authority : '',
        termStart: g.form === 'entrusted' ? g.termStart : '',
        termEnd: g.form === 'entrusted' ? g.termEnd : '',
        filed: (g.form === 'entrusted' && g.filed) || '',
        published: g.published ?? '',
        matterCode: m.code,
        matterName: m.name,
        field: m.field,
        legalBasis: m.legalBasis,
      };
      return fields.map((f) => values[f]);
    }),
  );
  return { headers: fields.map((f) => EMPOWERMENT_COLUMNS[f].aliases[1]!), rows };
}

// ---- The field → original department map (领域 → 原主管部门) ----------------------------------------------
// A 交由行使 matter is the original department's to give an opinion on; which department that is depends on the
// county's own division of work, so the bureau loads it as a two-column file rather than LawDesk guessing.

export const DEPARTMENT_MAP_COLUMNS: ColumnSpec<'field' | 'department'> = {
  field: { aliases: ['field', '领域', '执法领域'], required: true },
  department: { aliases: ['department', '原主管部门', '主管部门', '原行使部门'], required: true },
};

export function validateDepartmentMapRows(
  headers: string[],
  rows: SheetRow[],
): { ok: true; map: Record<string, string> } | { ok: false; errors: RowError[] } {
  const { columns, missing } = mapHeaders(headers, DEPARTMENT_MAP_COLUMNS);
  if (missing.length) return { ok: false, errors: missingColumnErrors(missing, DEPARTMENT_MAP_COLUMNS) };
  const errors: RowError[] = [];
  const map: Record<string, string> = {};
  const firstRow = new Map<string, number>();
  for (const { row, cells } of rows) {
    const cell = (f: 'field' | 'department') => normalizeCell(cells[columns[f]!] ?? '');
    const fail = (f: 'field' | 'department', message: string) =>
      errors.push({ row, column: columnLabel(f, DEPARTMENT_MAP_COLUMNS, headers, columns), value: cell(f), message });
    const field = cell('field');
    const department = cell('department');
    if (!field) fail('field', '领域不能为空');
    if (!department) fail('department', '原主管部门不能为空');
    if (!field || !department) continue;
    if (firstRow.has(field)) fail('field', `与第 ${firstRow.get(field)} 行重复:一个领域只能对应一个原主管部门`);
    else firstRow.set(field, row);
    map[field] = department;
  }
  if (!errors.length && !Object.keys(map).length)
    errors.push({ row: 1, column: '领域', value: '', message: '文件中没有数据行' });
  return errors.length ? { ok: false, errors } : { ok: true, map };
}
