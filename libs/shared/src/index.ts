export * from './events';
export * from './canonical-json';
export * from './commands';
export * from './errors';
export * from './stream-filter';
export * from './command-view';
export * from './stream-messages';
export * from './dashboard-state';
