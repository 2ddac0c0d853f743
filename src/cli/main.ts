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
  .option('--incremental', "refresh from the state in the target's write_schema, reading only rows since the last run (README, Scheduled runs)")
  .option('--full-refresh', 'rebuild the state in write_schema from every row')
  .action(async (selectors: string[], opts) => exitWith(await (await import('./commands/run-command.js')).runCommand(selectors, opts)));

program
  .command('verify')
  .description('Verify packages, experiment folders (every package, the hash chain, the decisions) or a reports folder; exit 0 when intact, 1 naming each problem.')
  .argument('<paths...>', 'package (reports/<experiment>/<run-id>), experiment folder (reports/<experiment>, or an archive) or reports folder')
  .addOption(json)
  .option('--rerun', "execute each package's recorded SQL again on --target and compare input fingerprints and results separately")
  .addOption(target).addOption(projectDir)
  .action(async (dirs: string[], opts) => exitWith(await (await import('./commands/verify-command.js')).verifyCommand(dirs, opts)));

const reportsDir = new Option('--reports-dir <dir>', 'reports folder (default: <project>/reports)');

program
  .command('decide')
  .description('Record a human decision on the newest package of an experiment (append-only, hash-chained, signed when the project signs).')
  .argument('<experiment>', 'experiment id')
  .requiredOption('--decision <kind>', 'ship | iterate | stop | rerun')
  .requiredOption('--by <name>', 'who decides')
  .requiredOption('--note <text>', 'why')
  .option('--variant <key>', 'the variant to ship (default: the recommended one)')
  .option('--acknowledge <reason>', 'required to override the recommendation or to ship a variant planned for more than half of traffic')
  .option('--package <run-id>', 'decide on this package instead of the newest')
  .addOption(projectDir).addOption(reportsDir).addOption(json)
  .action(async (experiment: string, opts) => exitWith(await (await import('./commands/decide-command.js')).decideCommand(experiment, opts)));

program
  .command('list')
  .description('Experiments with their runs, check status, latest recommendation and decision (as in reports/index.md).')
  .addOption(projectDir).addOption(reportsDir).addOption(json)
  .action(async (opts) => exitWith(await (await import('./commands/list-command.js')).listCommand(opts)));

program
  .command('archive')
  .description("Copy a concluded experiment's packages and decisions into one folder that `exptrack verify DIR` checks without the project.")
  .argument('<experiment>', 'experiment id')
  .requiredOption('--to <dir>', 'destination folder (absent or empty)')
  .addOption(projectDir).addOption(reportsDir).addOption(json)
  .action(async (experiment: string, opts) => exitWith(await (await import('./commands/archive-command.js')).archiveCommand(experiment, opts)));

program
  .command('plan')
  .description('Power analysis: measure the primary metric and traffic in a recent pre-period, then print units per arm, runtime and minimum detectable effect.')
  .argument('<spec>', 'spec id or path')
  .addOption(projectDir).addOption(target).addOption(asOf).addOption(json)
  .option('--lookback <days>', 'pre-period length in days, ending at as-of', '28')
  .option('--days <days>', 'planned duration in days', '14')
  .option('--mde <fraction>', 'relative lift to size for (default: the spec\'s min_relative_lift, else 0.05)')
  .option('--lift <fraction>', 'also report the power for this relative lift')
  .option('--power <fraction>', 'target power', '0.8')
  .action(async (spec: string, opts) => exitWith(await (await import('./commands/plan-command.js')).planCommand(spec, opts)));

program
  .command('schema')
  .description('Write the JSON Schemas of specs and models (specs/spec.schema.json, models/models.schema.json).')
  .addOption(projectDir)
  .option('--check', 'exit 1 when the written schemas are out of date, write nothing')
  .action(async (opts) => exitWith(await (await import('./commands/schema-command.js')).schemaCommand(opts)));

program
  .command('analyze')
  .description('Run the statistics on per-arm summary numbers (units and conversions, or sums and sums of squares) from a CSV or JSON file.')
  .argument('<file>', 'summary file: .csv with a header row, or .json (see README, "exptrack analyze")')
  .addOption(json)
  .option('--alpha <alpha>', 'significance level', '0.05')
  .option('--sides <sides>', 'two-sided, greater (treatment > control) or less', 'two-sided')
  .option('--sequential', 'always-valid (sequential) intervals and p-values')
  .option('--tuning <n>', 'sequential tuning parameter (default 5000)')
  .option('--prior-mean <mean>', 'Bayesian prior mean of the relative lift (default 0)')
  .option('--prior-sd <sd>', 'Bayesian prior sd of the relative lift (default: flat prior)')
  .option('--correction <method>', 'multiple-testing correction across metrics and arms: holm, bh or none', 'none')
  .option('--control <variant>', 'control variant (default: the row marked in a control column, else the first row)')
  .option('--no-cuped', 'ignore covariate columns')
  .action(async (file: string, opts) => exitWith(await (await import('./commands/analyze-command.js')).analyzeCommand(file, opts)));

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
