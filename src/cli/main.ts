import { Command, Option } from 'commander';
import { TOOL_VERSION } from '../package-info.js';
import { exitWith, EXIT } from './exit.js';

// Command modules load on use, so `exptrack --help` loads neither a warehouse driver nor zod.
const program = new Command()
  .name('exptrack')
  .description('Warehouse-native A/B experiments: specs in git -> SQL -> statistics -> verifiable report packages.')
  .version(TOOL_VERSION, '-V, --version')
  .showHelpAfterError()
  .addHelpText('after', '\nExit codes: 0 ran and no error-severity check failed; 1 ran but a check failed at error severity; 2 could not run.');

const projectDir = new Option('--project-dir <dir>', 'project root holding exptrack.yaml').default('.');
const target = new Option('-t, --target <name>', 'target in exptrack.yaml (default: its default_target)');
const asOf = new Option('--as-of <timestamp>', 'analysis time, ISO-8601 (default: as_of in exptrack.yaml, else now)');
const json = new Option('--json', 'print one machine-readable summary on stdout');

program
  .command('compile')
  .description('Validate specs and write target/compiled/<experiment>/*.sql and target/manifest.json. Never connects, unless --estimate.')
  .argument('[selectors...]', 'spec ids or paths (default: every spec)')
  .addOption(projectDir).addOption(target).addOption(asOf).addOption(json)
  .option('--estimate', 'dry-run every query on the target and print the bytes it would scan (BigQuery)')
  .action(async (selectors: string[], opts) => exitWith(await (await import('./commands/compile-command.js')).compileCommand(selectors, opts)));

program
  .command('run')
  .description('Compile, execute on the target, evaluate checks and statistics, and write a report package per spec.')
  .argument('[selectors...]', 'spec ids or paths (default: every spec)')
  .addOption(projectDir).addOption(target).addOption(asOf).addOption(json)
  .option('--reports-dir <dir>', 'where packages go (default: <project>/reports)')
  .option('-q, --quiet', 'no progress on stderr')
  .action(async (selectors: string[], opts) => exitWith(await (await import('./commands/run-command.js')).runCommand(selectors, opts)));

program
  .command('verify')
  .description('Recompute every digest of report packages; exit 0 when intact, 1 naming each changed, missing or added file.')
  .argument('<packages...>', 'package directories (reports/<experiment>/<run-id>)')
  .addOption(json)
  .action(async (dirs: string[], opts) => exitWith(await (await import('./commands/verify-command.js')).verifyCommand(dirs, opts)));

program
  .command('schema')
  .description('Write the JSON Schemas of specs and models (specs/spec.schema.json, models/models.schema.json).')
  .addOption(projectDir)
  .option('--check', 'exit 1 when the written schemas are out of date, write nothing')
  .action(async (opts) => exitWith(await (await import('./commands/schema-command.js')).schemaCommand(opts)));

program
  .command('demo')
  .description('Build the demo DuckDB warehouse when absent, then run every spec (what `npm start` does).')
  .addOption(projectDir)
  .option('--rebuild', 'rebuild the demo data even when present')
  .option('--data-only', 'build the data, run nothing')
  .option('-q, --quiet', 'no progress on stderr')
  .action(async (opts) => exitWith(await (await import('./commands/demo-command.js')).demoCommand(opts)));

program.parseAsync(process.argv).catch((e: unknown) => {
  process.stderr.write(`exptrack: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(EXIT.couldNotRun);
});
