import 'reflect-metadata';
import { loadConfig } from '../config/app-config';
import { BackupError, readManifest } from '../operations/backup-manifest';
import { restoreEmbedded } from '../operations/embedded-backup';
import { refuseWhileServiceRuns } from '../operations/embedded-control';
import { restoreServer } from '../operations/server-backup';
import { personalDataCipherFrom } from '../personal-data/personal-data-cipher';
import { parseArguments, runCli } from './cli';

/**
 * npm run restore -- BACKUP_DIRECTORY [--force]: into DATABASE_URL's database (created if missing) or EMBEDDED_DB_DIR,
 * with the service stopped. Refuses to overwrite records newer than the backup without --force, and fails before
 * anything is written when PERSONAL_DATA_KEY (with PERSONAL_DATA_OLD_KEYS) does not open the backup. See
 * docs/operations.md.
 */
runCli(async () => {
  const args = parseArguments(process.argv.slice(2));
  const [directory] = args.positional;
  if (!directory) throw new BackupError('usage: npm run restore -- <backup directory> [--force]');
  const config = loadConfig();
  const cipher = personalDataCipherFrom(config);
  const manifest = readManifest(directory);
  const force = args.flags.has('force');
  const result = config.DATABASE_URL
    ? await restoreServer(config.DATABASE_URL, directory, manifest, cipher, { force })
    : await (async () => {
        await refuseWhileServiceRuns(config.EMBEDDED_DB_DIR, 'restoring');
        return restoreEmbedded(config.EMBEDDED_DB_DIR, directory, manifest, cipher, { force });
      })();
  const rows = Object.values(result.tableCounts).reduce((sum, count) => sum + count, 0);
  process.stdout.write(
    [
      `restored ${directory} (taken ${manifest.createdAt}) into ${'database' in result ? `database ${result.database}` : result.dataDir}`,
      `  ${Object.keys(result.tableCounts).length} tables, ${rows} rows, as the manifest counted`,
      `  personal data opens with the configured key(s): ${Object.entries(result.keyCheck.usage).map(([keyId, count]) => `${keyId} (${count} values)`).join(', ') || 'no values'}`,
      ...(result.keptAs ? [`  the database it replaced is kept as ${result.keptAs}`] : []),
      `  last migration in the backup: ${manifest.migrations.at(-1) ?? 'none'}; the service applies newer ones at start`,
    ].join('\n') + '\n',
  );
});
