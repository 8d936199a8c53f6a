export * from './legal-checker';
export * from './letter-data';
export * from './letter-kinds';
export * from './letter-renderer';
export * from './remedy';
