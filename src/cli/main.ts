import { Command, InvalidArgumentError, Option } from 'commander';
import { TOOL_VERSION } from '../package-info.js';
import { exitWith, EXIT } from './exit.js';

// Command modules load on use, so `exptrack --help` loads neither a warehouse driver nor zod.
const program = new Command()
  .name('exptrack')
  .description('Warehouse-native A/B experiments: specs in git -> SQL -> statistics -> verifiable report packages.')
  .version(TOOL_VERSION, '-V, --version')
  .showHelpAfterError()
  .addHelpText('after', '\nExit codes: 0 ran and no error-severity check failed; 1 ran but a check failed at error severity; 2 could not run.')
  // Exit 1 means "a check failed" here, so every usage error (unknown command or option, missing
  // argument) exits 2; help and version exit 0. Subcommands inherit this, so it is set before them.
  .exitOverride((err) => process.exit(err.exitCode === 0 ? EXIT.ok : EXIT.couldNotRun));

function positiveInteger(text: string): number {
  if (!/^[1-9][0-9]*$/.test(text)) throw new InvalidArgumentError('expected a whole number of at least 1');
  return Number(text);
}

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
  .option('--concurrency <n>', "experiments run at once (default: the target's concurrency, else 1 for DuckDB and Postgres, 4 for BigQuery and Snowflake)", positiveInteger)
  .action(async (selectors: string[], opts) => exitWith(await (await import('./commands/run-command.js')).runCommand(selectors, opts)));

const init = program
  .command('init')
  .description('Start a project: exptrack.yaml, models/, specs/ and a starter spec. With --introspect, reads the warehouse catalogue (never data, never writing) and proposes sources and metrics.')
  .argument('[dir]', 'project folder (default: the current one); refused when it already holds a project', '.')
  .option('--type <warehouse>', 'duckdb | postgres | bigquery | snowflake')
  .option('--introspect', 'read table and column names and types from the warehouse and propose the models')
  .option('--target-name <name>', 'name of the target in exptrack.yaml (default: the type)')
  .option('--set <key=value...>', 'any other target setting (see README, Warehouses)')
  .addOption(json);
// Common target settings as flags of their own, named as in exptrack.yaml (snake_case -> --kebab-case).
for (const s of ['path', 'host', 'port', 'database', 'user', 'username', 'schema', 'project', 'dataset', 'location', 'account', 'warehouse', 'role', 'password-env', 'api-endpoint', 'access-url']) {
  init.option(`--${s} <value>`, `target setting ${s.replaceAll('-', '_')}`);
}
init.action(async (dir: string, opts) => exitWith(await (await import('./commands/init-command.js')).initCommand(dir, opts)));

program
  .command('write-results')
  .description("Write the newest package's results (or --package's) and every decision of each experiment to the target's results and decisions tables in write_schema; idempotent. Exit 0 written, 2 not.")
  .argument('<experiments...>', 'experiment ids')
  .option('--package <run-id>', 'this package instead of the newest (one experiment only)')
  .addOption(projectDir).addOption(target).addOption(json)
  .option('--reports-dir <dir>', 'reports folder (default: <project>/reports)')
  .action(async (experiments: string[], opts) => exitWith(await (await import('./commands/write-results-command.js')).writeResultsCommand(experiments, opts)));

program
  .command('check')
  .description("Check every source the selected specs read against the warehouse's catalogue: tables, columns and types (catalogue reads only). Exit 0 clean, 2 on any problem.")
  .argument('[selectors...]', 'spec ids or paths (default: every spec)')
  .addOption(projectDir).addOption(target).addOption(json)
  .action(async (selectors: string[], opts) => exitWith(await (await import('./commands/check-command.js')).checkCommand(selectors, opts)));

program
  .command('verify')
  .description('Verify packages, experiment folders (every package, the hash chain, the decisions) or a reports folder; exit 0 when intact, 1 naming each problem.')
  .argument('<paths...>', 'package (reports/<experiment>/<run-id>), experiment folder (reports/<experiment>, or an archive) or reports folder')
  .addOption(json)
  .option('--rerun', "execute each package's recorded SQL again on --target and compare input fingerprints and results separately")
  .option('--key <fingerprint>', 'only signatures by this key count (repeatable); adds to verify.trusted_keys in exptrack.yaml', (v: string, all: string[] = []) => [...all, v])
  .option('--expect-head <[experiment=]digest>', "the newest package's digest kept outside the reports folder (from `list --json`); repeatable", (v: string, all: string[] = []) => [...all, v])
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
  .option('-t, --target <name>', "also write the decisions to this target's decisions table (default: the default target, when it has a write_schema)")
  .action(async (experiment: string, opts) => exitWith(await (await import('./commands/decide-command.js')).decideCommand(experiment, opts)));

program
  .command('list')
  .description('Experiments with their runs, check status, latest recommendation and decision (as in reports/index.md).')
  .addOption(projectDir).addOption(reportsDir).addOption(json)
  .action(async (opts) => exitWith(await (await import('./commands/list-command.js')).listCommand(opts)));

program
  .command('site')
  .description('Write a static HTML site of every report package: index, a page per experiment and per package, charts included; opens from file://.')
  .addOption(projectDir).addOption(reportsDir).addOption(json)
  .requiredOption('--out <dir>', 'folder to write (replaced whole when it holds an earlier site)')
  .action(async (opts) => exitWith(await (await import('./commands/site-command.js')).siteCommand(opts)));

program
  .command('archive')
  .description("Copy a concluded experiment's packages and decisions into one folder that `exptrack verify DIR` checks without the project.")
  .argument('<experiment>', 'experiment id')
  .requiredOption('--to <dir>', 'destination folder (absent or empty)')
  .addOption(projectDir).addOption(reportsDir).addOption(json)
  .action(async (experiment: string, opts) => exitWith(await (await import('./commands/archive-command.js')).archiveCommand(experiment, opts)));

program
  .command('plan')
  .description('Power analysis: measure the primary metric and traffic in a recent pre-period (or take them as numbers, without a spec), then print units per arm, runtime and minimum detectable effect; mid-experiment, the power left.')
  .argument('[spec]', 'spec id or path (omit it to plan from --baseline-* and --units-per-day)')
  .addOption(projectDir).addOption(target).addOption(asOf).addOption(json)
  .option('--lookback <days>', 'pre-period length in days, ending at as-of', '28')
  .option('--days <days>', 'planned duration in days', '14')
  .option('--mde <fraction>', 'relative lift to size for (default: the spec\'s min_relative_lift, else 0.05)')
  .option('--lift <fraction>', 'also report the power for this relative lift')
  .option('--power <fraction>', 'target power', '0.8')
  .option('--baseline-rate <p>', 'without a spec: baseline conversion rate of a proportion metric')
  .option('--baseline-mean <mean>', 'without a spec: baseline per-unit mean (with --baseline-sd)')
  .option('--baseline-sd <sd>', 'without a spec: baseline per-unit standard deviation')
  .option('--units-per-day <n>', 'without a spec: new units per day over all arms')
  .option('--variations <k>', 'without a spec: number of arms including control, equal traffic', '2')
  .option('--weights <weights>', 'without a spec: traffic weights, control first (e.g. 0.5,0.25,0.25)')
  .option('--alpha <alpha>', 'without a spec: significance level', '0.05')
  .option('--sides <sides>', 'without a spec: two-sided, greater or less', 'two-sided')
  .option('--tuning <n>', 'without a spec: sequential tuning parameter', '5000')
  .option('--elapsed-days <days>', 'mid-experiment power: days run so far (with --observed-lift and --observed-se)')
  .option('--observed-lift <fraction>', 'mid-experiment power: relative lift so far')
  .option('--observed-se <se>', 'mid-experiment power: standard error of the relative lift so far')
  .action(async (spec: string | undefined, opts) => exitWith(await (await import('./commands/plan-command.js')).planCommand(spec, opts)));

program
  .command('instrument')
  .description('Print the DDL of the tables a spec reads, a JSON Schema of its tracking events and the tracking rules. Never connects.')
  .argument('<spec>', 'spec id or path')
  .option('--type <warehouse>', 'duckdb | postgres | bigquery | snowflake (default: the target\'s type)')
  .option('--only <part>', 'print only ddl, schema or rules')
  .addOption(projectDir).addOption(target).addOption(json)
  .action(async (spec: string, opts) => exitWith(await (await import('./commands/instrument-command.js')).instrumentCommand(spec, opts)));

program
  .command('schema')
  .description('Write the JSON Schemas of specs and models (specs/spec.schema.json, models/models.schema.json).')
  .addOption(projectDir)
  .option('--check', 'exit 1 when the written schemas are out of date, write nothing')
  .action(async (opts) => exitWith(await (await import('./commands/schema-command.js')).schemaCommand(opts)));

program
  .command('analyze')
  .description('Run the statistics on per-arm summary numbers (units and conversions, or sums and sums of squares) from a CSV or JSON file.')
  .argument('<file>', 'summary file: .csv with a header row, or .json, or - for stdin (see README, "exptrack analyze")')
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
  .option('--lower-is-better', 'a decrease is the improvement: chance to win and risk turn round')
  .option('--inverse [metrics]', 'lower is better: every metric, or a comma-separated list (or a higher_is_better column)')
  .option('--weights <weights>', 'planned weights for the SRM check: 0.5,0.5 in the file\'s variant order, or control=0.5,b=0.5')
  .option('--quantile <q>', 'rows carry the q-th quantile (columns quantile, quantile_lower, quantile_upper), e.g. 0.9')
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
