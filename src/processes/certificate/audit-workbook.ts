import { newWorkbook } from '../../platform/sheets/new-workbook';
import { addTableSheet } from '../../platform/sheets/sheet-layout';

// The audit of one or more certificates (全过程留痕、可回溯) as an xlsx: one sheet per certificate, each a table
// of 时间, 操作人, 操作, 详情 oldest first, the way `npm run cli -- audit 执法证号` prints it, in words.

export interface CertificateAudit {
  certNo: string;
  name?: string;
  unitName?: string;
  /** 有效, 暂扣… as of the export. */
  status?: string;
  events: Array<{ at: Date; actor: string; action: string; details: string }>;
}

export const AUDIT_HEADERS = ['时间', '操作人', '操作', '详情'];
export const auditSheetName = (a: CertificateAudit) => (a.name ? `${a.certNo} ${a.name}` : a.certNo);
export const auditFileName = (audits: CertificateAudit[], asOf: string) =>
  audits.length === 1
    ? `执法证件记录 ${auditSheetName(audits[0]!)}(${asOf}).xlsx`
    : `执法证件记录 ${audits.length} 人(${asOf}).xlsx`;

/**
 * `timeZone`: times are written as the wall-clock time there (Excel has no time zones), so 09:00 in Changsha
 * reads 09:00 on any machine that opens the file.
 */
export async function certificateAuditWorkbook(audits: CertificateAudit[], timeZone: string): Promise<Buffer> {
  const workbook = await newWorkbook();
  workbook.creator = '执法通';
  for (const audit of audits) {
    const sheet = addTableSheet(workbook, {
      name: auditSheetName(audit),
      headers: AUDIT_HEADERS,
      rows: audit.events.map((e) => [wallClock(e.at, timeZone), e.actor, e.action, e.details]),
      formats: { 1: 'yyyy-mm-dd hh:mm:ss' },
      wrapColumns: [4],
    });
    sheet.addRow([]);
    const who = [audit.name, audit.unitName, audit.certNo, audit.status ? `当前状态 ${audit.status}` : '']
      .filter(Boolean)
      .join(' · ');
    sheet.addRow([`${who}。共 ${audit.events.length} 条记录,按时间先后排列。`]).font = {
      italic: true,
      color: { argb: 'FF666666' },
    };
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** The instant as the local date and time in `timeZone`, carried in a Date's UTC fields as exceljs writes them. */
export function wallClock(at: Date, timeZone: string): Date {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return new Date(`${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}Z`);
}
