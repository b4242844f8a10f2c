// Every relative link in the README, CONTRIBUTING.md and docs/ must reach a file of the
// repository and, for a Markdown target with a #fragment, one of its headings: the docs were
// split out of one README, and a moved section must not leave a dead link behind.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import GithubSlugger from 'github-slugger';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pages = [
  'README.md',
  'CONTRIBUTING.md',
  ...readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];

/** The page's lines outside fenced code blocks. */
function prose(page) {
  let fenced = false;
  return readFileSync(join(root, page), 'utf8')
    .split('\n')
    .filter((line) => {
      if (line.startsWith('```')) fenced = !fenced;
      return !fenced && !line.startsWith('```');
    });
}

function anchors(page) {
  const slugger = new GithubSlugger();
  return new Set(
    prose(page)
      .map((line) => /^#{1,6} (.*)$/.exec(line))
      .filter((match) => match !== null)
      .map((match) => slugger.slug(match[1])),
  );
}

const problems = [];
for (const page of pages) {
  for (const line of prose(page)) {
    for (const [, target] of line.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/.test(target)) continue;
      const [path, fragment] = target.split('#');
      const file = path === '' ? page : normalize(join(dirname(page), path));
      if (relative(root, join(root, file)).startsWith('..')) continue; // outside the repository
      if (!existsSync(join(root, file))) problems.push(`${page}: ${target}: no such file`);
      else if (fragment && file.endsWith('.md') && !anchors(file).has(fragment))
        problems.push(`${page}: ${target}: no heading "#${fragment}" in ${file}`);
    }
  }
}
if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(`doc links: ${pages.length} pages, every relative link resolves`);
