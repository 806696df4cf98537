// Every workflow the worker runs (the bundle's entry): each process exports its own from its workflows.ts.
export * from './certificate/workflows';
export * from './training/workflows';
export * from './files/workflows';
export * from './desk/workflows';
export * from './referral/workflows';
export * from './empowerment/workflows';
export * from './roster/workflows';
