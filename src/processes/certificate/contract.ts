import type { Decision, Person } from '../casework/contract';
import type { Clock } from '../../core/deadlines';
import type { CertificateAction, CertificateStatus, ReasonCode } from './rules';

// A certificate case's input, result and id: definitions only, for the workflow bundle and the app.

export interface CertificateCaseInput {
  certNo: string;
  officer: Person;
  unitName: string;
  action: CertificateAction;
  reason: ReasonCode;
  details: string;
  applicant: Person;
  unitHead: Person;
  unitEscalation: Person[];
  bureauReviewer: Person;
  bureauEscalation: Person[];
  stepClock: Clock;
}

export type CertificateCaseResult =
  | { status: 'executed'; newStatus: CertificateStatus; decisions: Decision[] }
  | { status: 'rejected'; by: Person; reason: string; step: string; decisions: Decision[] }
  | { status: 'withdrawn'; by: Person; reason?: string; decisions: Decision[] }
  | { status: 'refused'; message: string; decisions: Decision[] };

/** One open case per certificate: the id is the guard (a second start while one runs is refused). */
export function certificateCaseWorkflowId(certNo: string): string {
  return `certificate-case-${certNo}`;
}

export const CERTIFICATE_CASE_TYPE = 'certificate';
