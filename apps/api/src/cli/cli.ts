import { ConfigError } from '../config/app-config';
import { BackupError } from '../operations/backup-manifest';
import { ControlError } from '../operations/embedded-control';
import { PersonalDataKeyError } from '../personal-data/personal-data-cipher';

export interface CliArguments {
  positional: string[];
  flags: Set<string>;
  options: Map<string, string>;
}

/** `--flag`, `--option value` or `--option=value`, and positional arguments. */
export function parseArguments(argv: string[], valued: string[] = []): CliArguments {
  const parsed: CliArguments = { positional: [], flags: new Set(), options: new Map() };
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index];
    if (!argument.startsWith('--')) {
      parsed.positional.push(argument);
      continue;
    }
    const [name, inline] = argument.slice(2).split(/=(.*)/s, 2);
    if (valued.includes(name)) parsed.options.set(name, inline ?? argv[(index += 1)] ?? '');
    else parsed.flags.add(name);
  }
  return parsed;
}

/** Runs a command-line tool: its expected failures print their message alone and exit 1; anything else with its stack. */
export function runCli(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    const expected = [ConfigError, BackupError, ControlError, PersonalDataKeyError].some((type) => error instanceof type);
    process.stderr.write(`${error instanceof Error ? (expected ? error.message : (error.stack ?? error.message)) : String(error)}\n`);
    process.exit(1);
  });
}
