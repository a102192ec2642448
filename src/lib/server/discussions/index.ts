// Discussions: categories, threads, replies, likes, accepted answers, polls and thread tools.
export * from './categories';
export * from './facts';
export * from './polls';
export * from './replies';
export * from './threads';
