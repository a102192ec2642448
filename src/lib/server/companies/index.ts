// Companies: the admins' list, import and export, membership by verified email domain, and the
// staff's company pages.
export * from './companies';
export * from './domains';
export * from './import';
export * from './membership';
export * from './insights';
export * from './overview-filters';
