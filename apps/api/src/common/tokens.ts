/** Injection tokens for the values main.ts (or a test) hands to the app module. */
export const APP_CONFIG = Symbol('APP_CONFIG');
export const LOGGER = Symbol('LOGGER');
