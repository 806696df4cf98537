// The house's boundaries, checked in `npm test` (`npm run lint:deps`). Layers run one way:
//   src/app → src/chat → src/processes → src/core → src/platform
// A workflow file is bundled into Temporal's deterministic sandbox: it may import only @temporalio/workflow (and
// common), its own process's contract and rules, the case engine (casework/case-desk, casework/contract) and core.
const WORKFLOW_FILES = '^src/processes/([^/]+)/(?:[^/]*workflow|case-desk|expiry-watch|term-watch)\\.ts$';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import circle: split what both sides need into a third file.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'platform-is-the-bottom',
      severity: 'error',
      from: { path: '^src/platform/' },
      to: { path: '^src/(core|processes|chat|app)/' },
    },
    {
      name: 'core-is-pure',
      severity: 'error',
      comment: 'core holds pure rules: no processes, chat or wiring, no I/O.',
      from: { path: '^src/core/' },
      to: { path: '^src/(processes|chat|app)/' },
    },
    {
      name: 'processes-below-chat',
      severity: 'error',
      comment: 'A process exports its chat part; it never imports the chat layer or the wiring.',
      from: { path: '^src/processes/' },
      to: { path: '^src/(chat|app)/' },
    },
    { name: 'chat-below-app', severity: 'error', from: { path: '^src/chat/' }, to: { path: '^src/app/' } },
    {
      name: 'workflows-import-only-the-sandbox-safe',
      severity: 'error',
      comment: 'Workflow code: @temporalio/workflow, its own process (not its I/O), the case engine and core only.',
      from: { path: WORKFLOW_FILES },
      to: {
        pathNot: [
          '(^|/)node_modules/@temporalio/(workflow|common)/',
          '^src/core/',
          '^src/processes/casework/(case-desk|contract)\\.ts$',
          // its own process's files, except those that do I/O or talk to people
          '^src/processes/$1/(?![a-z-]*(activities|store|chat|cards?|import|export|workbook)\\.ts$)[a-z-]+\\.ts$',
        ],
        dependencyTypesNot: ['type-only'], // `import type` (proxyActivities<typeof …>) is erased before bundling
      },
    },
    {
      name: 'no-node-builtins-in-workflows',
      severity: 'error',
      from: { path: WORKFLOW_FILES },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'no-chat-handler-from-workflow-or-activity',
      severity: 'error',
      comment:
        'Workflows and activities never reach into chat handlers; share the piece through the process rules or store.',
      from: { path: '(workflow|activities|case-desk|expiry-watch|term-watch)\\.ts$' },
      to: { path: '(^src/chat/|/chat\\.ts$|/[a-z-]+-chat\\.ts$)' },
    },
  ],
  options: {
    doNotFollow: { path: ['node_modules', '(^|/)generated/'] },
    exclude: { path: '(^|/)generated/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
      extensions: ['.ts', '.mjs', '.js'],
    },
  },
};
