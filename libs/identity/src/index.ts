export * from './identity-numbers';
