import { MIGRATIONS } from '../../../../migrations';
import previousRelease from '../../../../migrations/previous-release.json';
import { appliedMigrations, type Queryable } from './database-facts';

export interface MigrationStatus {
  /** Applied, in the order they ran. */
  applied: string[];
  /** Known to this version and not yet applied: the service applies them at start (npm run migration:run). */
  pending: string[];
  /** Applied but unknown to this version: the database was upgraded by a newer version than this one. */
  unknown: string[];
  /** The last migration of the release in service before this one (migrations/previous-release.json). */
  previousRelease: { release: string; lastMigration: string };
  /** Migrations of this version after the previous release: what an upgrade from it runs. */
  sincePreviousRelease: string[];
}

export const MIGRATION_NAMES: string[] = MIGRATIONS.map((migration) => new migration().name ?? migration.name);

export async function migrationStatus(db: Queryable): Promise<MigrationStatus> {
  const applied = await appliedMigrations(db);
  const done = new Set(applied);
  const known = new Set(MIGRATION_NAMES);
  const index = MIGRATION_NAMES.indexOf(previousRelease.lastMigration);
  return {
    applied,
    pending: MIGRATION_NAMES.filter((name) => !done.has(name)),
    unknown: applied.filter((name) => !known.has(name)),
    previousRelease: { release: previousRelease.release, lastMigration: previousRelease.lastMigration },
    sincePreviousRelease: index < 0 ? [] : MIGRATION_NAMES.slice(index + 1),
  };
}

export function describeMigrationStatus(status: MigrationStatus): string {
  const lines = [
    `applied: ${status.applied.length} (last: ${status.applied.at(-1) ?? 'none'})`,
    `pending: ${status.pending.length}${status.pending.length ? `\n  ${status.pending.join('\n  ')}` : ''}`,
  ];
  if (status.unknown.length) lines.push(`applied but unknown to this version (the database is newer than this code):\n  ${status.unknown.join('\n  ')}`);
  lines.push(`previous release ${status.previousRelease.release} ends with ${status.previousRelease.lastMigration}; since then: ${status.sincePreviousRelease.length ? status.sincePreviousRelease.join(', ') : 'none'}`);
  return lines.join('\n');
}
