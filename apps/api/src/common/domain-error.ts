/** Services throw these; one filter maps the code to HTTP. A service never throws an HttpException. */
export type DomainErrorCode =
  | 'invalid' // 400
  | 'unauthenticated' // 401
  | 'forbidden' // 403
  | 'not_found' // 404
  | 'conflict' // 409: not allowed now, stale version, duplicate
  | 'unprocessable' // 422: well-formed, but contradicts what the same request said before (an Idempotency-Key reused)
  | 'too_large' // 413
  | 'too_many_requests' // 429
  | 'unavailable'; // 503

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details?: string[],
  ) {
    super(message);
  }
}

export const invalid = (message: string, details?: string[]) => new DomainError('invalid', message, details);
export const notFound = (message: string) => new DomainError('not_found', message);
export const conflict = (message: string, details?: string[]) => new DomainError('conflict', message, details);
export const unprocessable = (message: string) => new DomainError('unprocessable', message);
export const forbidden = (message: string) => new DomainError('forbidden', message);
export const unauthenticated = (message: string) => new DomainError('unauthenticated', message);
export const tooManyRequests = (message: string) => new DomainError('too_many_requests', message);
export const unavailable = (message: string) => new DomainError('unavailable', message);
