import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface Violation {
  rule: string;
  message: string;
}
// A plain JS module (run by `npm run lint:migrations` without a build).
const { checkMigrationSource, migrationsSincePreviousRelease } = require('./check-migrations.js') as {
  checkMigrationSource(source: string): Violation[];
  migrationsSincePreviousRelease(directory: string): string[];
};

const migration = (up: string, extra = '') => `
import type { MigrationInterface, QueryRunner } from 'typeorm';
export class Example1799999999999 implements MigrationInterface {
  name = 'Example1799999999999';
  ${extra}
  public async up(queryRunner: QueryRunner): Promise<void> {
    ${up}
  }
  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(\`DROP INDEX ix_whatever\`);
    await queryRunner.query(\`ALTER TABLE cases DROP COLUMN whatever\`);
  }
}`;
const rules = (up: string, extra = '') => checkMigrationSource(migration(up, extra)).map((violation) => violation.rule);

describe('lint:migrations — safe to run while the previous release serves', () => {
  it.each([
    ['CREATE INDEX ix_cases_x ON cases (x)', 'index-not-concurrently'],
    ['CREATE UNIQUE INDEX ix_cases_x ON cases (x)', 'index-not-concurrently'],
    ['ALTER TABLE cases ADD COLUMN seen_at timestamptz DEFAULT now()', 'add-column-rewrite'],
    ['ALTER TABLE cases ADD COLUMN token uuid NOT NULL DEFAULT gen_random_uuid()', 'add-column-rewrite'],
    ['ALTER TABLE cases ADD COLUMN n bigserial', 'add-column-rewrite'],
    ['ALTER TABLE cases ADD COLUMN y int GENERATED ALWAYS AS (x + 1) STORED', 'add-column-rewrite'],
    ['ALTER TABLE cases ALTER COLUMN state TYPE varchar(40)', 'alter-column-type'],
    ['ALTER TABLE cases ALTER COLUMN due_date SET NOT NULL', 'set-not-null'],
    ['ALTER TABLE cases ADD CONSTRAINT ck_x CHECK (x > 0)', 'constraint-validated-under-lock'],
    ['ALTER TABLE letters ADD CONSTRAINT fk_x FOREIGN KEY (x) REFERENCES cases(id)', 'constraint-validated-under-lock'],
    ['ALTER TABLE cases ADD CONSTRAINT uq_x UNIQUE (x)', 'constraint-validated-under-lock'],
    ['ALTER TABLE cases DROP COLUMN description', 'breaks-previous-version'],
    ['ALTER TABLE cases RENAME COLUMN description TO summary', 'breaks-previous-version'],
    ['ALTER TABLE cases RENAME TO requests', 'breaks-previous-version'],
    ['DROP TABLE attachments', 'breaks-previous-version'],
    ['VACUUM FULL cases', 'table-rewrite'],
    ['CLUSTER cases USING ix_cases_agency_queue', 'table-rewrite'],
    ['REINDEX TABLE cases', 'reindex-or-refresh-locking'],
    ['LOCK TABLE cases IN ACCESS EXCLUSIVE MODE', 'lock-table'],
    ["UPDATE cases SET state = 'closed' WHERE state = 'done'", 'unbatched-backfill'],
  ])('flags %s', (sql, rule) => {
    expect(rules(`await queryRunner.query(\`${sql}\`);`)).toContain(rule);
  });

  it('passes the safe forms', () => {
    const safe = [
      'CREATE INDEX CONCURRENTLY ix_cases_x ON cases (x)',
      'ALTER TABLE cases ADD COLUMN note text',
      "ALTER TABLE cases ADD COLUMN channel_detail text NOT NULL DEFAULT ''",
      'ALTER TABLE cases ADD CONSTRAINT ck_x CHECK (x IS NOT NULL) NOT VALID',
      'ALTER TABLE cases VALIDATE CONSTRAINT ck_x',
      'ALTER TABLE cases ADD CONSTRAINT uq_x UNIQUE USING INDEX ix_cases_x',
      'ALTER TABLE cases DROP CONSTRAINT ck_old',
      'ALTER TABLE cases ALTER COLUMN note DROP NOT NULL',
      'ALTER TABLE cases ALTER COLUMN note SET DEFAULT now()',
    ];
    expect(rules(safe.map((sql) => `await queryRunner.query(\`${sql}\`);`).join('\n'), 'transaction = false;')).toEqual([]);
  });

  it('lets a new table be built in one go: its indexes, constraints and backfill lock nobody', () => {
    const up = `
      await queryRunner.query(\`CREATE TABLE callbacks (id uuid PRIMARY KEY, case_id uuid NOT NULL, url text)\`);
      await queryRunner.query(\`CREATE INDEX ix_callbacks_case ON callbacks (case_id)\`);
      await queryRunner.query(\`ALTER TABLE callbacks ADD CONSTRAINT fk_callbacks_case FOREIGN KEY (case_id) REFERENCES cases(id)\`);
      await queryRunner.query(\`ALTER TABLE callbacks ADD COLUMN created_at timestamptz NOT NULL DEFAULT now()\`);
      await queryRunner.query(\`UPDATE callbacks SET url = lower(url)\`);`;
    expect(rules(up)).toEqual([]);
  });

  it('requires CONCURRENTLY to run outside a transaction, and reads only up(), not down()', () => {
    expect(rules('await queryRunner.query(`CREATE INDEX CONCURRENTLY ix_cases_x ON cases (x)`);')).toEqual(['concurrently-in-transaction']);
  });

  it('accepts a waiver only with its reason', () => {
    const sql = 'await queryRunner.query(`CREATE INDEX ix_report_locks_year ON report_locks (year)`);';
    expect(rules(`${sql}\n// migration-safety: allow index-not-concurrently — report_locks holds one row per agency and year`)).toEqual([]);
    expect(rules(`${sql}\n// migration-safety: allow index-not-concurrently`)).toEqual(['index-not-concurrently']);
  });

  it('would have flagged the released migrations that locked the cases table', () => {
    const source = (file: string) => readFileSync(join(__dirname, '../migrations', file), 'utf8');
    expect(checkMigrationSource(source('1764576000000-queue-indexes.ts')).map((violation) => violation.rule)).toEqual([
      'index-not-concurrently',
      'index-not-concurrently',
      'index-not-concurrently',
    ]);
    expect(checkMigrationSource(source('1764489600000-first-conclusion.ts')).map((violation) => violation.rule)).toContain('add-column-rewrite');
    expect(checkMigrationSource(source('1763884800000-initial-schema.ts'))).toEqual([]);
  });

  it('checks the migrations after the one previous-release.json names', () => {
    const directory = join(__dirname, '../migrations');
    const { lastMigration } = JSON.parse(readFileSync(join(directory, 'previous-release.json'), 'utf8'));
    const since = migrationsSincePreviousRelease(directory);
    for (const file of since) expect(file.slice(0, 13) > /(\d{13})$/.exec(lastMigration)![1]).toBe(true);
    for (const file of since) expect(checkMigrationSource(readFileSync(join(directory, file), 'utf8'))).toEqual([]);
  });
});
