#!/usr/bin/env node
// npm run lint:migrations — every migration after the previous release (migrations/previous-release.json) must be safe
// to run while that release still serves: no long lock on a table that may be big, nothing the running version still
// reads taken away. A rule may be waived in one migration with a comment that gives the reason:
//   // migration-safety: allow <rule> — <why it is safe here>
'use strict';
const { readdirSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

const VOLATILE = /\b(now|clock_timestamp|statement_timestamp|transaction_timestamp|timeofday|random|gen_random_uuid|uuid_generate_v[14]|nextval)\s*\(/i;

/** Each rule: what it finds in one statement, and why that hurts a serving version. */
const RULES = [
  {
    id: 'index-not-concurrently',
    test: (sql, isNew) => {
      const match = /^\s*CREATE\s+(UNIQUE\s+)?INDEX\s+(?!CONCURRENTLY)(?:IF\s+NOT\s+EXISTS\s+)?\S*\s+ON\s+(?:ONLY\s+)?("?\w+"?)/i.exec(sql);
      return match && !isNew(match[2]) ? match[2] : null;
    },
    why: (table) => `CREATE INDEX on ${table} holds a SHARE lock that blocks every write to it for the whole build: CREATE INDEX CONCURRENTLY, in a migration with \`transaction = false\``,
  },
  {
    id: 'reindex-or-refresh-locking',
    test: (sql) => (/^\s*(REINDEX|REFRESH\s+MATERIALIZED\s+VIEW)\s+(?!.*CONCURRENTLY)/i.test(sql) ? sql.trim().split(/\s+/).slice(0, 3).join(' ') : null),
    why: (what) => `${what} locks out writers (or readers) for its whole run: use its CONCURRENTLY form`,
  },
  {
    id: 'table-rewrite',
    test: (sql, isNew) => {
      const match = /^\s*(VACUUM\s+FULL|CLUSTER)\b\s*("?\w+"?)?/i.exec(sql);
      return match && !(match[2] && isNew(match[2])) ? match[1] : null;
    },
    why: (what) => `${what} rewrites the table under an ACCESS EXCLUSIVE lock: nothing reads or writes it meanwhile`,
  },
  {
    id: 'lock-table',
    test: (sql) => (/^\s*LOCK\s+(TABLE\s+)?\w+/i.test(sql) ? 'LOCK TABLE' : null),
    why: () => 'an explicit LOCK TABLE holds until the migration commits',
  },
  {
    id: 'add-column-rewrite',
    test: (sql, isNew) => alterations(sql, isNew).find((clause) => /^ADD\s+(COLUMN\s+)?/i.test(clause) && (VOLATILE.test(clause) || /\bGENERATED\s+ALWAYS\s+AS\s*\(/i.test(clause) || /\b(big|small)?serial\b/i.test(clause) || /\bGENERATED\s+(ALWAYS|BY\s+DEFAULT)\s+AS\s+IDENTITY/i.test(clause))) ?? null,
    why: (clause) => `"${clause}" rewrites the whole table under an ACCESS EXCLUSIVE lock (a volatile default, a stored generated or identity column): add the column without it (or with a constant default), then backfill in batches`,
  },
  {
    id: 'alter-column-type',
    test: (sql, isNew) => alterations(sql, isNew).find((clause) => /^ALTER\s+(COLUMN\s+)?"?\w+"?\s+(SET\s+DATA\s+)?TYPE\b/i.test(clause)) ?? null,
    why: (clause) => `"${clause}" usually rewrites the table under an ACCESS EXCLUSIVE lock, and the serving version still reads the old type: add a new column, backfill, switch, drop later`,
  },
  {
    id: 'set-not-null',
    test: (sql, isNew) => alterations(sql, isNew).find((clause) => /^ALTER\s+(COLUMN\s+)?"?\w+"?\s+SET\s+NOT\s+NULL/i.test(clause)) ?? null,
    why: (clause) =>
      `"${clause}" scans the whole table under an ACCESS EXCLUSIVE lock: first ADD CONSTRAINT … CHECK (column IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT it (a lighter lock), then SET NOT NULL skips the scan`,
  },
  {
    id: 'constraint-validated-under-lock',
    test: (sql, isNew) =>
      alterations(sql, isNew).find(
        (clause) =>
          (/^ADD\s+(CONSTRAINT\s+\S+\s+)?(CHECK|FOREIGN\s+KEY)\b/i.test(clause) && !/\bNOT\s+VALID\b/i.test(clause)) ||
          (/^ADD\s+(CONSTRAINT\s+\S+\s+)?(PRIMARY\s+KEY|UNIQUE)\b/i.test(clause) && !/\bUSING\s+INDEX\b/i.test(clause)),
      ) ?? null,
    why: (clause) => `"${clause}" checks every row while it holds its lock: add it NOT VALID and VALIDATE CONSTRAINT in a later step (a unique or primary key: build the index CONCURRENTLY, then ADD … USING INDEX)`,
  },
  {
    id: 'breaks-previous-version',
    test: (sql, isNew) => {
      const clause = alterations(sql, isNew).find((entry) => /^(DROP\s+(COLUMN\s+)?(?!CONSTRAINT|DEFAULT|NOT\s+NULL)|RENAME\s+)/i.test(entry));
      if (clause) return clause;
      const dropped = /^\s*DROP\s+TABLE\s+(?:IF\s+EXISTS\s+)?("?\w+"?)/i.exec(sql);
      return dropped && !isNew(dropped[1]) ? `DROP TABLE ${dropped[1]}` : null;
    },
    why: (clause) => `"${clause}" takes away what the previous release still reads while it serves during the upgrade: stop reading it in one release, drop or rename it in the next`,
  },
  {
    id: 'unbatched-backfill',
    test: (sql, isNew) => {
      const match = /^\s*(?:WITH\b[\s\S]*?\)\s*)?UPDATE\s+(?:ONLY\s+)?("?\w+"?)/i.exec(sql);
      return match && !isNew(match[1]) ? `UPDATE ${match[1]}` : null;
    },
    why: (what) => `${what} in a migration locks every row it touches until the migration commits, stalling the service's writes to them: backfill in batches outside the DDL migration`,
  },
];

/** The clauses of an ALTER TABLE on a table that existed before this migration. */
function alterations(sql, isNew) {
  const match = /^\s*ALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?("?\w+"?)\s+([\s\S]*)$/i.exec(sql);
  if (!match || isNew(match[1])) return [];
  return splitTopLevel(match[2], ',').map((clause) => clause.trim().replace(/\s+/g, ' '));
}

function splitTopLevel(text, separator) {
  const parts = [];
  let depth = 0;
  let quote = null;
  let start = 0;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (quote) {
      if (char === quote) quote = null;
    } else if (char === "'" || char === '"') quote = char;
    else if (char === '(') depth += 1;
    else if (char === ')') depth -= 1;
    else if (depth === 0 && text.startsWith(separator, index)) {
      parts.push(text.slice(start, index));
      start = index + separator.length;
    }
  }
  parts.push(text.slice(start));
  return parts.filter((part) => part.trim());
}

/** The SQL of `up()`: every template or string literal passed to a query, split into statements. */
function upStatements(source) {
  const start = source.search(/\basync\s+up\s*\(/);
  if (start < 0) return [];
  const end = source.slice(start).search(/\basync\s+down\s*\(/);
  const body = end < 0 ? source.slice(start) : source.slice(start, start + end);
  const literals = [...body.matchAll(/`([^`]*)`|'((?:[^'\\\n]|\\.)*)'/g)].map((match) => match[1] ?? match[2]);
  return literals
    .filter((text) => /^\s*(CREATE|ALTER|DROP|UPDATE|WITH|VACUUM|CLUSTER|REINDEX|REFRESH|LOCK|INSERT|DELETE)\b/i.test(text))
    .flatMap((text) => splitTopLevel(text.replace(/--[^\n]*/g, ''), ';'))
    .map((statement) => statement.trim())
    .filter(Boolean);
}

/** Violations in one migration's source: [{ rule, message }]. */
function checkMigrationSource(source) {
  const statements = upStatements(source);
  const created = new Set(statements.map((sql) => /^\s*CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?("?\w+"?)/i.exec(sql)?.[1].replace(/"/g, '').toLowerCase()).filter(Boolean));
  const isNew = (table) => created.has(table.replace(/"/g, '').toLowerCase());
  const allowed = new Set([...source.matchAll(/migration-safety:\s*allow\s+([\w-]+)\s*[—–-]+\s*\S/g)].map((match) => match[1]));
  const violations = [];
  for (const sql of statements) {
    for (const rule of RULES) {
      const found = rule.test(sql, isNew);
      if (found && !allowed.has(rule.id)) violations.push({ rule: rule.id, message: rule.why(found) });
    }
  }
  if (/\bCONCURRENTLY\b/i.test(statements.join('\n')) && !/\btransaction\s*=\s*false\b/.test(source)) {
    violations.push({ rule: 'concurrently-in-transaction', message: 'CONCURRENTLY cannot run inside a transaction: declare `transaction = false` on the migration class' });
  }
  return violations;
}

/** The migration files after the previous release's last migration, in order. */
function migrationsSincePreviousRelease(directory) {
  const { lastMigration } = JSON.parse(readFileSync(join(directory, 'previous-release.json'), 'utf8'));
  const epoch = /(\d{13})$/.exec(lastMigration)?.[1];
  if (!epoch) throw new Error(`previous-release.json: lastMigration "${lastMigration}" does not end with its 13-digit timestamp`);
  const files = readdirSync(directory).filter((name) => /^\d{13}-[a-z0-9-]+\.ts$/.test(name)).sort();
  if (!files.some((name) => name.startsWith(`${epoch}-`))) throw new Error(`previous-release.json names ${lastMigration}, which no migration file matches`);
  return files.filter((name) => name.slice(0, 13) > epoch);
}

function main() {
  const directory = join(__dirname, '..', 'migrations');
  const files = migrationsSincePreviousRelease(directory);
  let failures = 0;
  for (const file of files) {
    for (const violation of checkMigrationSource(readFileSync(join(directory, file), 'utf8'))) {
      failures += 1;
      process.stderr.write(`migrations/${file}: [${violation.rule}] ${violation.message}\n`);
    }
  }
  if (failures) {
    process.stderr.write(`\n${failures} unsafe step(s). Fix them, or waive one with a comment: // migration-safety: allow <rule> — <why>\n`);
    process.exit(1);
  }
  process.stdout.write(`lint:migrations: ${files.length} migration(s) since the previous release, all safe to run while it serves\n`);
}

module.exports = { checkMigrationSource, migrationsSincePreviousRelease, RULES };
if (require.main === module) main();
