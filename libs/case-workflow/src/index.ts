export * from './case-context';
export * from './case-machine';
export * from './events';
export * from './outcomes';
export * from './prerequisites';
export * from './vocabulary';
export * from './workflow';
export * from "./diagram";
