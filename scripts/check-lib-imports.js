#!/usr/bin/env node
// The pure domain libraries import nothing from Nest, TypeORM, the database driver or the apps (CONVENTIONS: the shape of the house).
const { readdirSync, readFileSync, statSync } = require('node:fs');
const { join, relative } = require('node:path');

const root = join(__dirname, '..');
const PURE_LIBS = ['libs/case-workflow', 'libs/calendar', 'libs/identity', 'libs/fees', 'libs/letters', 'libs/reports', 'libs/vocabulary', 'libs/api-client'];
const FORBIDDEN = [/^@nestjs\//, /^typeorm/, /^pg$/, /^@electric-sql\//, /apps\//, /^express/, /^class-validator/, /^class-transformer/];

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const problems = [];
for (const lib of PURE_LIBS) {
  for (const file of files(join(root, lib))) {
    const source = readFileSync(file, 'utf8');
    for (const match of source.matchAll(/(?:from\s+|import\s*\(|require\()\s*['"]([^'"]+)['"]/g)) {
      if (FORBIDDEN.some((pattern) => pattern.test(match[1]))) problems.push(`${relative(root, file)} imports ${match[1]}`);
    }
  }
}
if (problems.length) {
  console.error(`Pure libraries must not import framework or database code:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`lib imports ok (${PURE_LIBS.join(', ')})`);
