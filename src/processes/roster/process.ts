import { defineProcess } from '../process';
import { rosterActivities } from './activities';

// The roster (人员名册): who is who, imported by the bureau; officers with a mobile but no open_id are looked up in
// Feishu after each import.
export const roster = defineProcess({ name: 'roster', activities: (deps) => rosterActivities(deps) });
