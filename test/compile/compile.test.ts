// Compilation: deterministic output, as-of only moving timestamp literals, every source scan
// bounded on its timestamp column, the SQL template linter, and what compile writes to disk.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join, relative } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileProject, writeCompiled, type CompileResult } from '../../src/compile/compile-project.js';
import { createSqlRenderer, TemplateError } from '../../src/compile/sql-templates.js';
import { getTarget, loadProjectConfig } from '../../src/config/project-config.js';
import { getWarehouse } from '../../src/warehouse/registry.js';
import { BASE_SPEC, REPO_ROOT, copyOfDemoProject, locate, removeTempProjects, replaceOnce, tempProject } from '../spec/fixture.js';

afterAll(removeTempProjects);

const AS_OF = '2026-11-01T00:00:00Z';

function compileAt(root: string, asOf: string, selectors: string[] = []): CompileResult {
  const config = loadProjectConfig(root);
  return compileProject(config, getTarget(config, undefined), selectors, asOf);
}

/** Every compiled file of a result, keyed `<experiment>/<file>`. */
function sqlFiles(r: CompileResult): Map<string, string> {
  return new Map(r.compiled.flatMap((c) => c.steps.map((s) => [`${c.experimentId}/${s.file}`, s.sql] as [string, string])));
}

const sha256 = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');

describe('determinism', () => {
  it('compiles the demo specs to byte-identical SQL and manifest twice', () => {
    const a = compileAt(REPO_ROOT, AS_OF);
    const b = compileAt(REPO_ROOT, AS_OF);
    expect(a.compiled.length).toBeGreaterThan(0);
    expect([...sqlFiles(b)]).toEqual([...sqlFiles(a)]);
    expect(JSON.stringify(b.manifest)).toBe(JSON.stringify(a.manifest));
  });

  it('does not depend on where the project lives', () => {
    const here = compileAt(REPO_ROOT, AS_OF);
    const elsewhere = compileAt(copyOfDemoProject(), AS_OF);
    expect([...sqlFiles(elsewhere)]).toEqual([...sqlFiles(here)]);
    expect(JSON.stringify(elsewhere.manifest)).toBe(JSON.stringify(here.manifest));
  });
});

describe('as-of', () => {
  const LATER = '2026-11-01T00:00:00Z';
  const EARLIER = '2026-10-20T06:30:00Z';
  const isoOf = (t: string) => new Date(t).toISOString();

  it('changes only lines with timestamp literals (and the as-of in header comments)', () => {
    const a = sqlFiles(compileAt(REPO_ROOT, LATER));
    const b = sqlFiles(compileAt(REPO_ROOT, EARLIER));
    expect([...b.keys()]).toEqual([...a.keys()]);
    const changedTimestampLines = new Map<string, number>();
    for (const [name, sqlA] of a) {
      const la = sqlA.split('\n');
      const lb = b.get(name)!.split('\n');
      expect(lb.length, name).toBe(la.length);
      la.forEach((lineA, i) => {
        const lineB = lb[i];
        if (lineA === lineB) return;
        const where = `${name}:${i + 1}\n  ${lineA}\n  ${lineB}`;
        if (lineA.trimStart().startsWith('--')) {
          // A comment may only differ by the as-of it names.
          expect(lineA.replaceAll(isoOf(LATER), '<as-of>'), where).toBe(lineB.replaceAll(isoOf(EARLIER), '<as-of>'));
          return;
        }
        expect(lineA, where).toContain("TIMESTAMP '");
        expect(lineB, where).toContain("TIMESTAMP '");
        const mask = (l: string) => l.replace(/TIMESTAMP '[^']*'/g, "TIMESTAMP '…'");
        expect(mask(lineA), where).toBe(mask(lineB));
        const experiment = name.split('/')[0];
        changedTimestampLines.set(experiment, (changedTimestampLines.get(experiment) ?? 0) + 1);
      });
    }
    // Not vacuous: every experiment's bounds moved.
    const experiments = new Set([...a.keys()].map((k) => k.split('/')[0]));
    for (const e of experiments) expect(changedTimestampLines.get(e) ?? 0, e).toBeGreaterThan(0);
  });

  it('never bounds a scan after the as-of', () => {
    for (const [name, sql] of sqlFiles(compileAt(REPO_ROOT, EARLIER))) {
      for (const m of sql.matchAll(/TIMESTAMP '([^']*)'/g)) {
        expect(Date.parse(`${m[1].replace(' ', 'T')}Z`), `${name}: ${m[0]}`).toBeLessThanOrEqual(Date.parse(EARLIER));
      }
    }
  });
});

describe('bounded scans', () => {
  /** table (as in the models) -> timestamp column, from every models/*.yaml of a project. */
  function sourceTimestamps(root: string): Map<string, string> {
    const out = new Map<string, string>();
    const dir = join(root, 'models');
    for (const f of readdirSync(dir).filter((n) => /\.ya?ml$/.test(n))) {
      const doc = parseYaml(readFileSync(join(dir, f), 'utf8')) as { sources?: Record<string, { table: string; timestamp: string }> } | null;
      for (const s of Object.values(doc?.sources ?? {})) out.set(s.table, s.timestamp);
    }
    return out;
  }

  const quoteTable = (table: string) => table.split('.').map((p) => `"${p}"`).join('.');
  const instant = (literal: string) => Date.parse(`${literal.replace(' ', 'T')}Z`);
  const reEscape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

  interface Scan {
    file: string;
    table: string;
    lower: number;
    upper: number;
  }

  /**
   * Every FROM/JOIN of a source table in the compiled SQL, with the bounds its own query puts on
   * the table's timestamp column. Fails when a scan lacks either bound or reads an unknown table.
   */
  function scansOf(r: CompileResult, timestamps: Map<string, string>): Scan[] {
    const byQuoted = new Map([...timestamps].map(([table, ts]) => [quoteTable(table), { table, ts }]));
    const scans: Scan[] = [];
    for (const [file, sql] of sqlFiles(r)) {
      const ctes = new Set([...sql.matchAll(/^("?)(\w+)\1 AS \($/gm)].map((m) => m[2]));
      for (const m of sql.matchAll(/\b(FROM|JOIN)\s+("[^"]+"(?:\."[^"]+")*|\w+)(?:\s+AS\s+("?)(\w+)\3)?/g)) {
        const ref = m[2];
        const source = byQuoted.get(ref);
        if (!source) {
          // Anything else read must be a CTE of the same query.
          expect(ctes.has(ref.replaceAll('"', '')), `${file}: ${m[0]} is neither a source table nor a CTE`).toBe(true);
          continue;
        }
        const alias = m[4];
        expect(alias, `${file}: ${m[0]} has no alias`).toBeDefined();
        // The query this scan belongs to ends at the CTE's closing parenthesis, a UNION or the file end.
        const rest = sql.slice(m.index);
        const end = rest.search(/\n\s*\)|\n\s*UNION\b/);
        const query = end < 0 ? rest : rest.slice(0, end);
        const col = `"${reEscape(alias)}"\\."${reEscape(source.ts)}"`;
        const lower = new RegExp(`${col} >= TIMESTAMP '([^']*)'`).exec(query);
        const upper = new RegExp(`${col} < TIMESTAMP '([^']*)'`).exec(query);
        expect(lower, `${file}: no lower bound on ${source.ts} for\n${query}`).not.toBeNull();
        expect(upper, `${file}: no upper bound on ${source.ts} for\n${query}`).not.toBeNull();
        scans.push({ file, table: source.table, lower: instant(lower![1]), upper: instant(upper![1]) });
      }
    }
    return scans;
  }

  it('bounds every scan of a demo source table on its timestamp column, within [start - CUPED lookback, as-of)', () => {
    const result = compileAt(REPO_ROOT, AS_OF);
    const timestamps = sourceTimestamps(REPO_ROOT);
    const scans = scansOf(result, timestamps);
    // Every source table is read somewhere, and every experiment's step files contain scans.
    expect(new Set(scans.map((s) => s.table))).toEqual(new Set(timestamps.keys()));
    for (const e of result.experiments) {
      for (const step of ['01_exposures.sql', '02_metrics.sql', '03_sources.sql']) {
        expect(scans.some((s) => s.file === `${e.id}/${step}`), `${e.id}/${step}`).toBe(true);
      }
      for (const s of scans.filter((x) => x.file.startsWith(`${e.id}/`))) {
        // Metric event scans start a CUPED lookback early (pre-exposure values); every other scan at the start.
        const lookback = e.analysis.cupedLookbackSeconds !== null ? e.analysis.cupedLookbackSeconds * 1000 : 0;
        // The fingerprints step covers what the metrics step reads, so it starts as early.
        const early = /0[245]_(metrics|fingerprints|daily)\.sql$/.test(s.file) && s.table !== e.exposure.source.table;
        expect(s.lower, `${s.file} ${s.table}`).toBe(Date.parse(e.start) - (early ? lookback : 0));
        expect(s.upper, s.file).toBeGreaterThan(s.lower);
        expect(s.upper, s.file).toBeLessThanOrEqual(Date.parse(AS_OF));
      }
    }
  });

  it('ends a finished experiment’s scans where its last metric window can end', () => {
    const windowed = `${BASE_SPEC}end: 2026-10-15\n`; // order_completed counts 7 days after exposure
    const open = replaceOnce(replaceOnce(BASE_SPEC, 'id: t1', 'id: t2'), 'primary: order_completed', 'primary: page_views') + 'end: 2026-10-15\n';
    const root = tempProject({ specs: { 'windowed.yaml': windowed, 'open.yaml': open } });
    const scans = scansOf(compileAt(root, AS_OF), sourceTimestamps(root));
    const day = 86_400_000;
    const end = Date.parse('2026-10-15T00:00:00Z');
    const upperOf = (file: string, table: string) => scans.filter((s) => s.file === file && s.table === table).map((s) => s.upper);
    expect(upperOf('t1/01_exposures.sql', 'main.exposures')).toEqual([end]);
    expect(upperOf('t1/02_metrics.sql', 'main.exposures')).toEqual([end]);
    expect(upperOf('t1/02_metrics.sql', 'main.web_events')).toEqual([end + 7 * day]);
    // An open-ended metric reads up to the as-of.
    expect(upperOf('t2/02_metrics.sql', 'main.web_events')).toEqual([Date.parse(AS_OF)]);
  });
});

describe('SQL template linter', () => {
  const duckdb = getWarehouse('duckdb');

  /** A project root with templates/sql/<dir>/<name>.sql.hbs files. */
  function templates(files: Record<string, string>): { root: string; dir: string } {
    const root = tempProject();
    const dir = join(root, 'templates');
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(dir, 'sql', path, '..'), { recursive: true });
      writeFileSync(join(dir, 'sql', path), text);
    }
    return { root, dir };
  }

  function renderError(files: Record<string, string>, step: string): TemplateError {
    const { root, dir } = templates(files);
    const renderer = createSqlRenderer(dir, 'duckdb', duckdb.dialect, root);
    try {
      renderer.render(step, { experiment: 'e1', x: 'y', t: 'main.t' });
    } catch (e) {
      expect(e).toBeInstanceOf(TemplateError);
      return e as TemplateError;
    }
    throw new Error('expected a TemplateError');
  }

  const at = (file: string, text: string, needle: string) => {
    const p = locate(text, needle);
    return `${join('templates', 'sql', file)}:${p.line}:${p.column}: `;
  };

  it('rejects a bare value {{experiment}} at its position', () => {
    const text = '-- step\nSELECT *\nFROM {{table t}} AS s\nWHERE s.k = {{experiment}}\n';
    const e = renderError({ 'steps/bad.sql.hbs': text }, 'bad');
    expect(e.message.startsWith(at('steps/bad.sql.hbs', text, '{{experiment}}'))).toBe(true);
    expect(e.message).toContain("'{{experiment}}' must call one of ident, col, table, lit, ts, num, sql, comment");
  });

  it('rejects a triple-stash at its position', () => {
    const text = 'SELECT 1\nWHERE a = 1\n  AND b = {{{x}}}\n';
    const e = renderError({ 'steps/bad.sql.hbs': text }, 'bad');
    expect(e.message.startsWith(at('steps/bad.sql.hbs', text, '{{{x}}}'))).toBe(true);
    expect(e.message).toContain('triple-stash');
  });

  it('rejects a dynamic partial name at its position', () => {
    const text = 'SELECT {{lit x}},\n  {{> (lookup . "x")}}\n';
    const e = renderError({ 'steps/bad.sql.hbs': text }, 'bad');
    expect(e.message.startsWith(at('steps/bad.sql.hbs', text, '{{> (lookup'))).toBe(true);
    expect(e.message).toContain('dynamic partial names are not allowed');
  });

  it('lints partials too, naming the partial file', () => {
    const partial = 'CAST({{x}} AS VARCHAR)';
    const e = renderError({ 'steps/ok.sql.hbs': 'SELECT {{> leaky}}\n', 'default/leaky.sql.hbs': partial }, 'ok');
    expect(e.message.startsWith(at('default/leaky.sql.hbs', partial, '{{x}}'))).toBe(true);
  });

  it('names both searched paths for a partial that exists nowhere', () => {
    const e = renderError({ 'steps/ok.sql.hbs': 'SELECT {{> nowhere}}\n', 'default/other.sql.hbs': '1' }, 'ok');
    expect(e.message).toContain("missing SQL partial 'nowhere' for warehouse 'duckdb'");
    expect(e.message).toContain(join('templates', 'sql', 'duckdb', 'nowhere.sql.hbs'));
    expect(e.message).toContain(join('templates', 'sql', 'default', 'nowhere.sql.hbs'));
  });

  it('prefers the warehouse partial over the default one and quotes every value', () => {
    const { root, dir } = templates({
      'steps/ok.sql.hbs': 'SELECT {{> pick}}, {{> fallback}} FROM {{table t}} WHERE k = {{lit key}}\n',
      'duckdb/pick.sql.hbs': 'duckdb_pick',
      'default/pick.sql.hbs': 'default_pick',
      'default/fallback.sql.hbs': 'default_fallback',
    });
    const renderer = createSqlRenderer(dir, 'duckdb', duckdb.dialect, root);
    const sql = renderer.render('ok', { t: 'main.t', key: "it's" });
    expect(sql).toBe(`SELECT duckdb_pick, default_fallback FROM "main"."t" WHERE k = 'it''s'`);
    expect(new Set(renderer.files.keys())).toEqual(
      new Set([join('templates', 'sql', 'steps', 'ok.sql.hbs'), join('templates', 'sql', 'duckdb', 'pick.sql.hbs'), join('templates', 'sql', 'default', 'fallback.sql.hbs')]),
    );
  });
});

describe('writeCompiled', () => {
  it('writes target/compiled/<id>/*.sql and target/manifest.json, agreeing with the manifest digests', () => {
    const root = copyOfDemoProject();
    const config = loadProjectConfig(root);
    const result = compileProject(config, getTarget(config, undefined), [], AS_OF);
    const written = writeCompiled(config, result);

    const compiledDir = join(root, 'target', 'compiled');
    expect(readdirSync(compiledDir).sort()).toEqual(result.compiled.map((c) => c.experimentId).sort());
    const expected: string[] = [];
    for (const c of result.compiled) {
      expect(readdirSync(join(compiledDir, c.experimentId)).sort()).toEqual(c.steps.map((s) => s.file).sort());
      for (const s of c.steps) {
        const path = join(compiledDir, c.experimentId, s.file);
        expected.push(relative(root, path));
        const onDisk = readFileSync(path, 'utf8');
        expect(onDisk).toBe(s.sql);
        expect(sha256(onDisk)).toBe(result.manifest.experiments[c.experimentId].files[s.file]);
      }
    }
    expected.push(join('target', 'manifest.json'));
    expect([...written].sort()).toEqual(expected.sort());

    const manifest = JSON.parse(readFileSync(join(root, 'target', 'manifest.json'), 'utf8'));
    expect(manifest).toEqual(JSON.parse(JSON.stringify(result.manifest)));
    expect(manifest.asOf).toBe(new Date(AS_OF).toISOString());
    // Inputs are named relative to the project and digested as they are on disk.
    for (const [file, digest] of Object.entries({ ...manifest.inputs.specs, ...manifest.inputs.models } as Record<string, string>)) {
      expect(sha256(readFileSync(join(root, file))), file).toBe(digest);
    }
    // No temporary directories or files are left beside the output.
    expect(readdirSync(join(root, 'target')).filter((n) => n.includes('.tmp'))).toEqual([]);
    expect(readdirSync(compiledDir).filter((n) => n.startsWith('.'))).toEqual([]);
  });
});

describe('exptrack compile (CLI)', () => {
  const BIN = join(REPO_ROOT, 'bin', 'exptrack.js');

  /** True when some src/ or checks/ .ts file has no dist .js at least as new as itself. */
  function distIsStale(): boolean {
    const walk = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? walk(join(dir, d.name)) : d.name.endsWith('.ts') ? [join(dir, d.name)] : []));
    for (const ts of [...walk(join(REPO_ROOT, 'src')), ...walk(join(REPO_ROOT, 'checks'))]) {
      const js = join(REPO_ROOT, 'dist', relative(REPO_ROOT, ts)).replace(/\.ts$/, '.js');
      if (!existsSync(js) || statSync(js).mtimeMs < statSync(ts).mtimeMs) return true;
    }
    return false;
  }

  beforeAll(() => {
    if (distIsStale()) {
      try {
        execFileSync('npx', ['tsc', '-p', '.'], { cwd: REPO_ROOT, stdio: 'pipe' });
      } catch (e) {
        // tsc still emits on type errors; the CLI runs below tell whether what it emitted works.
        const out = e as { stdout?: Buffer };
        console.warn(`tsc reported errors:\n${out.stdout?.toString() ?? e}`);
      }
    }
    expect(existsSync(join(REPO_ROOT, 'dist', 'src', 'cli', 'main.js'))).toBe(true);
  });

  const compileCli = (root: string) => spawnSync(process.execPath, [BIN, 'compile', '--project-dir', root], { encoding: 'utf8', cwd: root });

  it('compiles a valid project (exit 0, files listed on stdout)', () => {
    const root = copyOfDemoProject();
    const r = compileCli(root);
    expect(r.status, r.stderr).toBe(0);
    const ids = readdirSync(join(root, 'specs')).filter((f) => /\.ya?ml$/.test(f)).map((f) => (parseYaml(readFileSync(join(root, 'specs', f), 'utf8')) as { id: string }).id);
    expect(readdirSync(join(root, 'target', 'compiled')).sort()).toEqual(ids.sort());
    const listed = r.stdout.trim().split('\n');
    expect(listed).toContain(join('target', 'manifest.json'));
    for (const f of listed) expect(existsSync(join(root, f)), f).toBe(true);
  });

  it('compiles nothing from a project with one bad spec: exit 2, file:line:col errors on stderr', () => {
    const root = copyOfDemoProject();
    const bad = replaceOnce(replaceOnce(BASE_SPEC, 'primary: order_completed', 'primary: order_complete'), '{ key: b, weight: 0.5 }', '{ key: b, weight: 0.4 }');
    writeFileSync(join(root, 'specs', 'zz_bad.yaml'), bad);
    const r = compileCli(root);
    expect(r.status).toBe(2);
    const file = join('specs', 'zz_bad.yaml');
    const metric = locate(bad, 'order_complete\n');
    const weights = locate(bad, '- { key: a');
    const lines = r.stderr.trim().split('\n');
    expect(lines).toContain(`${file}:${metric.line}:${metric.column}: error: metrics.primary: unknown metric 'order_complete'; did you mean 'order_completed'?`);
    expect(lines).toContain(`${file}:${weights.line}:${weights.column}: error: variants: variant weights sum to 0.9; expected 1`);
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('2 errors; nothing was compiled or run.');
    // The valid demo specs were not compiled either.
    expect(existsSync(join(root, 'target', 'compiled'))).toBe(false);
    expect(existsSync(join(root, 'target', 'manifest.json'))).toBe(false);
  });
});

describe('zero-length windows stay windows', () => {
  const metricsSql = (spec: string, models?: Record<string, string>) => {
    const r = compileAt(tempProject({ specs: { 's.yaml': spec }, ...(models ? { models } : {}) }), AS_OF);
    return r.compiled[0].steps.find((s) => s.name === 'metrics')!.sql;
  };

  it('a CUPED lookback of 0d gives an empty pre-exposure window, not a copy of the post-exposure one', () => {
    const sql = metricsSql(`${BASE_SPEC}analysis: { cuped: { lookback: 0d } }\n`);
    const pre = sql.split('\n').find((l) => l.includes('AS "m_1_x"'))!;
    // Before first exposure and not before it minus 0 s: no row can match.
    expect(pre).toContain('< e.first_exposed_at');
    expect(pre).not.toContain('604800');
  });

  it('a 0h duration bounds the window instead of leaving it open', () => {
    const models = Object.fromEntries(['sources.yaml', 'filters.yaml', 'metrics.yaml'].map((f) => [f, readFileSync(join(REPO_ROOT, 'models', f), 'utf8')]));
    models['metrics.yaml'] = models['metrics.yaml'].replace("window: { delay: 0h, duration: 7d }", 'window: { delay: 0h, duration: 0h }');
    const sql = metricsSql(BASE_SPEC, models);
    const post = sql.split('\n').find((l) => l.includes('AS "m_1_y"'))!;
    expect(post).toMatch(/< \("e"\."first_exposed_at" \+ to_seconds\(0\)\)/);
  });
});
