import type { LoggerService } from '@nestjs/common';
import pino, { type DestinationStream, type Logger } from 'pino';

// Personal data never reaches the log (issue: structured logs that never print ID numbers or phone numbers).
const REDACT_PATHS = [
  'idNumber', '*.idNumber', '*.*.idNumber',
  'phone', '*.phone', '*.*.phone',
  'password', '*.password',
  'queryCode', '*.queryCode',
  'authorization', '*.authorization', '*.headers.authorization',
  'applicant', '*.applicant',
  // A failed SQL statement carries its bound values (names, addresses, letter data): the statement is enough to debug.
  'err.parameters', 'err.driverError.parameters', 'err.driverError.detail', 'err.detail',
  'error.parameters', 'error.driverError.parameters', 'error.driverError.detail', 'error.detail',
];

const ID_LIKE = /\b\d{17}[\dXx]\b|\b1[3-9]\d{9}\b/g;

/** Belt and braces for free text: 18-digit IDs and mobile numbers are masked wherever they appear in a message. */
export function scrubPersonalNumbers(text: string): string {
  return text.replace(ID_LIKE, (match) => `${match.slice(0, 3)}***${match.slice(-2)}`);
}

const MAX_SCRUB_DEPTH = 8;

/**
 * Every string of a logged value scrubbed: PostgreSQL puts the values it refused into an error's message, detail,
 * where and internal query (a unique violation's "Key (…)=(…)", "invalid input syntax …: \"…\""), and pg/TypeORM nest
 * them in `driverError` and `cause`. Redacting known paths misses the next field a driver adds; this does not.
 */
function scrubDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubPersonalNumbers(value);
  if (!value || typeof value !== 'object' || depth > MAX_SCRUB_DEPTH) return value;
  if (value instanceof Error) return scrubDeep(pino.stdSerializers.err(value), depth + 1);
  if (Array.isArray(value)) return value.map((item) => scrubDeep(item, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, scrubDeep(inner, depth + 1)]));
}

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
    level,
    base: { service: 'ogi-desk' },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    // Errors under any key are serialized (message, stack, cause, the driver's fields) and then scrubbed like the rest.
    formatters: { log: (object) => scrubDeep(object) as Record<string, unknown> },
    hooks: {
      logMethod(args, method) {
        const scrubbed = args.map((arg) => (typeof arg === 'string' ? scrubPersonalNumbers(arg) : arg)) as Parameters<typeof method>;
        method.apply(this, scrubbed);
      },
    },
    },
    destination,
  );
}

/** Nest's logger interface on top of pino (nestjs-pino needs Node 22). */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}
  log(message: unknown, context?: string) {
    this.logger.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string) {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string) {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string) {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string) {
    this.logger.trace({ context }, String(message));
  }
}
