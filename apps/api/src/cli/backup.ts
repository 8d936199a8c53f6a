import 'reflect-metadata';
import { loadConfig } from '../config/app-config';
import { BackupError, pruneBackups } from '../operations/backup-manifest';
import { backupEmbedded, dumpStoppedDataDir } from '../operations/embedded-backup';
import { askService } from '../operations/embedded-control';
import { backupServer } from '../operations/server-backup';
import { parseArguments, runCli } from './cli';

/**
 * npm run backup [-- --dir DIR] [--keep N]: one backup directory under DIR (BACKUP_DIR, default ./backups) with its
 * manifest, then the oldest beyond the newest N (BACKUP_KEEP, default 14) deleted. The server's database is dumped
 * from one snapshot while the service runs; the embedded one through the running service, or directly when it is
 * stopped. See docs/operations.md.
 */
runCli(async () => {
  const args = parseArguments(process.argv.slice(2), ['dir', 'keep']);
  const config = loadConfig();
  const root = args.options.get('dir') ?? process.env.BACKUP_DIR ?? './backups';
  const keep = Number(args.options.get('keep') ?? process.env.BACKUP_KEEP ?? 14);
  if (!Number.isInteger(keep) || keep < 1) throw new BackupError(`--keep must be a whole number of backups, at least 1 (got ${keep})`);
  let directory: string;
  if (config.DATABASE_URL) {
    directory = (await backupServer(config.DATABASE_URL, root)).directory;
  } else {
    const viaService = (await askService(config.EMBEDDED_DB_DIR, { command: 'backup', directory: root })) as { directory: string } | null;
    directory = viaService?.directory ?? (await backupEmbedded(() => dumpStoppedDataDir(config.EMBEDDED_DB_DIR), root)).directory;
  }
  process.stdout.write(`backup written: ${directory}\n`);
  for (const removed of pruneBackups(root, keep)) process.stdout.write(`older backup removed (keeping ${keep}): ${removed}\n`);
});
