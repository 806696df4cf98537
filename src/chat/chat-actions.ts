/** The chat's own buttons (the help, offer and confirm cards); router.ts maps each to its handler. */
export type ChatAction =
  'run_intent' | 'help_more' | 'intent_confirm' | 'intent_pick' | 'intent_edit' | 'intent_cancel';
