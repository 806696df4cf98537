// The search attributes LawDesk registers on its namespace, with their types. The workflows set them through the
// keys in src/processes/casework/contract.ts (CASE_TYPE, CASE_UNIT, CASE_STATUS), which name these same three.
export const SEARCH_ATTRIBUTES = {
  LawDeskCaseType: 'Keyword',
  LawDeskUnit: 'Keyword',
  LawDeskStatus: 'Keyword',
} as const;
