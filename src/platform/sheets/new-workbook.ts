import type ExcelJS from 'exceljs';

// exceljs, with the zip and XML libraries under it, is ~8 MB of heap and ~15 MB resident in a process that may go
// days without writing a workbook: it is loaded the first time one is made (issue 16, idle memory), not at start.
export async function newWorkbook(): Promise<ExcelJS.Workbook> {
  const { default: excel } = await import('exceljs');
  return new excel.Workbook();
}
