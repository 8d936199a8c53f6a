export * from './vocabulary';
export * from './terms';
export * from './report';
