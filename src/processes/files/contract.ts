// Files sent in chat: an import too large to finish inside a card click runs as a workflow (issue 11).

/** Imports over this many rows run as a workflow, with progress on the card. */
export const LARGE_IMPORT_ROWS = 2000;

export interface FileImportInput {
  /** Where the file is (the user's message) and the card that shows progress. */
  messageId: string;
  fileKey: string;
  fileName: string;
  kind:
    | 'roster'
    | 'training'
    | 'calendar'
    | 'empowerment'
    | 'escalation'
    | 'campaign'
    | 'department_map'
    | 'lead_rules'
    | 'referral_threshold';
  cardMessageId: string;
  actor: string;
}

export type FileImportResult =
  { status: 'imported'; summary: string } | { status: 'refused'; errors: number; reason?: string };

export function fileImportWorkflowId(messageId: string, fileKey: string): string {
  return `file-import-${messageId}-${fileKey}`;
}
