// pino logger. Contract: at info level and above, log lines carry ids, counts and outcomes — never message
// text, names, or other personal data. Message text may appear only at trace level, for local debugging.
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string = 'info', destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { app: 'plaza' },
      redact: {
        paths: [
          'text',
          '*.text',
          'token',
          '*.token',
          'authorization',
          '*.authorization',
          'secret',
          '*.secret',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
