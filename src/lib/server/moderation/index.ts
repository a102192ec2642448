// Moderation: one system for every post (ideas, reviews, discussions) and every comment.
export * from './items';
export * from './flags';
export * from './queue';
export * from './settings';
export * from './suspensions';
export * from './posting';
export * from './log';
