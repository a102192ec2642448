// Private help threads (docs/help.md).
export * from './conversion';
export * from './rate';
export * from './threads';
