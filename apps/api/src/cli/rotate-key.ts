import 'reflect-metadata';
import { loadConfig } from '../config/app-config';
import { personalDataCipherFrom } from '../personal-data/personal-data-cipher';
import { checkPersonalDataKeys, personalDataKeyUsage, rotatePersonalDataKey } from '../personal-data/personal-data-keys';
import { parseArguments, runCli } from './cli';
import { openToolDatabase } from './tool-database';

/**
 * npm run rotate-key [-- --check] [--batch N]: with the new key in PERSONAL_DATA_KEY and the old one(s) in
 * PERSONAL_DATA_OLD_KEYS (the service runs with the same two settings), re-encrypts every identity and phone number
 * under the new key and re-keys the blind index, in batches, while the service serves. `--check` only counts the values
 * per key. When no value needs an old key any more, remove it from PERSONAL_DATA_OLD_KEYS (docs/operations.md).
 */
runCli(async () => {
  const args = parseArguments(process.argv.slice(2), ['batch']);
  const config = loadConfig();
  const cipher = personalDataCipherFrom(config);
  const database = await openToolDatabase(config, 'rotating the key');
  try {
    const describe = (usage: Record<string, number>) =>
      Object.entries(usage).map(([keyId, count]) => `${keyId}${keyId === cipher.keyId ? ' (current)' : ''}: ${count}`).join(', ') || 'no values';
    if (args.flags.has('check')) {
      const { usage } = await checkPersonalDataKeys(database.dataSource, cipher, 'full');
      process.stdout.write(`values per key: ${describe(usage)}\n`);
      return;
    }
    const before = await personalDataKeyUsage(database.dataSource);
    process.stdout.write(`before: ${describe(before)}; writing under key ${cipher.keyId}\n`);
    const { rewritten, usage } = await rotatePersonalDataKey(database.dataSource, cipher, {
      batchSize: Number(args.options.get('batch') ?? 500),
      onBatch: (count) => process.stdout.write(`  ${count} rows re-encrypted\n`),
    });
    const remaining = Object.entries(usage).filter(([keyId]) => keyId !== cipher.keyId);
    process.stdout.write(`after: ${describe(usage)}; ${rewritten} rows re-encrypted\n`);
    process.stdout.write(
      remaining.length
        ? `values still under old keys (written concurrently under an old key?): run again\n`
        : `every value is under key ${cipher.keyId}: PERSONAL_DATA_OLD_KEYS may be emptied once no backup you keep needs the old key\n`,
    );
  } finally {
    await database.close();
  }
});
