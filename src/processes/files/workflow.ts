import { proxyActivities } from '@temporalio/workflow';
import type { FileImportActivities } from './activities';
import type { FileImportInput, FileImportResult } from './contract';

// A large file sent in chat, imported after the admin clicked 导入: one activity reads the file again and runs
// the same transactional import as the CLI, patching the card with rows done / total as it goes. The import
// is idempotent (same rows again: nothing changes), so a retry after a crash is safe.

const { runFileImport } = proxyActivities<FileImportActivities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '2 minutes',
  retry: { initialInterval: '5 seconds', maximumAttempts: 3 },
});

export async function fileImportWorkflow(input: FileImportInput): Promise<FileImportResult> {
  return runFileImport(input);
}
