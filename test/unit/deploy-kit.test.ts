import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENV_NAMES } from '../../src/platform/config';
import { parseAllDocuments } from 'yaml';

// Every scalar as the text it is written as (a port is '8080'), so the checks compare names and strings alike.
type YamlValue = string | YamlValue[] | { [key: string]: YamlValue };
const asText = (value: unknown): YamlValue =>
  Array.isArray(value)
    ? value.map(asText)
    : value && typeof value === 'object'
      ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, asText(v)]))
      : value === null || value === undefined
        ? ''
        : String(value);
function parseYamlDocuments(text: string): YamlValue[] {
  return parseAllDocuments(text).map((doc) => {
    if (doc.errors.length) throw new Error(doc.errors.map((e) => e.message).join('; '));
    return asText(doc.toJS());
  });
}

// Issue 18's deployment kit cannot be built or run here (no Docker, no Kubernetes): what can be checked is that
// every file says only what LawDesk understands. Each variable a LawDesk process is given is one the config schema
// reads (a misspelt name would be silently ignored); each command runs a file the build makes or a CLI command that
// exists; each probe asks a route the server has; the YAML parses and its names point at each other.

const ROOT = path.resolve(import.meta.dirname, '../..');
const read = (...parts: string[]) => readFileSync(path.join(ROOT, ...parts), 'utf8');
const DEPLOY = path.join(ROOT, 'deploy');
/** Not LawDesk's, set for the runtime beneath it: glibc's arena count (README: 20–40 MB saved per process). */
const RUNTIME_ENV = ['MALLOC_ARENA_MAX'];
const LAWDESK_ENV = new Set([...ENV_NAMES, ...RUNTIME_ENV]);

type Map = { [key: string]: YamlValue };
const asMap = (value: YamlValue | undefined): Map =>
  value && typeof value === 'object' && !Array.isArray(value) ? value : {};
const asList = (value: YamlValue | undefined): YamlValue[] => (Array.isArray(value) ? value : []);
const envFileNames = (file: string) =>
  read(file)
    .split('\n')
    .filter((line) => /^[A-Z_][A-Z0-9_]*=/.test(line))
    .map((line) => line.split('=')[0]!);

/** The files `npm run build` writes into dist/, read from scripts/build.mjs itself. */
function builtEntries(): string[] {
  const build = read('scripts', 'build.mjs');
  const binEntries = /\[([^\]]+)\]\.map\(\(name\) => \[name, path\.join\(root, 'bin'/.exec(build)?.[1] ?? '';
  const named = [...build.matchAll(/^\s+'([a-z-]+)': path\.join\(root/gm)].map((m) => m[1]!);
  return [...binEntries.split(',').map((s) => s.trim().replace(/'/g, '')), ...named].map((name) => `dist/${name}.js`);
}

let usage = '';
const entries = builtEntries();
const scripts = Object.keys((JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts);

beforeAll(() => {
  // The CLI's own usage text (printed with no command) is the list of commands that exist.
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'bin/cli.ts'], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
    env: { PATH: process.env.PATH },
  });
  usage = run.stderr;
}, 60_000);

/** `node [flags] dist/x.js [cli command…]` runs something the build makes, and a CLI command the CLI lists. */
function expectRunsBuiltCode(command: string[], where: string): void {
  expect(command[0], where).toMatch(/(^|\/)node$/);
  const script = command.find((part) => part.startsWith('dist/'));
  expect(entries, `${where}: ${command.join(' ')}`).toContain(script);
  if (script === 'dist/cli.js') {
    const cliCommand = command.slice(command.indexOf(script) + 1).join(' ');
    expect(usage, `${where}: cli ${cliCommand}`).toMatch(new RegExp(`^  ${cliCommand}\\s`, 'm'));
  }
}

describe('deploy/Dockerfile', () => {
  const dockerfile = read('deploy', 'Dockerfile');
  const instructions = dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .filter((line) => /^[A-Z]+\s/.test(line));

  it('builds with npm scripts that exist and runs node on what the build makes, under tini, not as root', () => {
    const runs = instructions.filter((line) => line.startsWith('RUN '));
    const npmRuns = runs.flatMap((line) => [...line.matchAll(/npm run ([\w:-]+)/g)].map((m) => m[1]!));
    expect(npmRuns).toEqual(['build']);
    for (const name of npmRuns) expect(scripts).toContain(name);
    const entrypoint = JSON.parse(instructions.find((l) => l.startsWith('ENTRYPOINT '))!.slice(11)) as string[];
    expect(entrypoint).toEqual(['/usr/bin/tini', '--']);
    expect(runs.join(' ')).toContain('apt-get install -y --no-install-recommends tini');
    const cmd = JSON.parse(instructions.find((l) => l.startsWith('CMD '))!.slice(4)) as string[];
    expectRunsBuiltCode(cmd, 'Dockerfile CMD');
    const users = instructions.filter((l) => l.startsWith('USER '));
    expect(users.at(-1)).toBe('USER node');
  });

  it('copies files that exist, or that the build stage makes, and sets only variables LawDesk reads', () => {
    const made = ['dist', 'node_modules', 'package.json'];
    for (const line of instructions.filter((l) => l.startsWith('COPY '))) {
      const parts = line
        .split(/\s+/)
        .slice(1)
        .filter((p) => !p.startsWith('--'));
      for (const source of parts.slice(0, -1)) {
        const fromBuild = line.includes('--from=build');
        const relative = fromBuild ? source.replace(/^\/app\//, '') : source;
        if (fromBuild && made.includes(relative)) continue;
        expect(existsSync(path.join(ROOT, relative)), `${line}: ${relative}`).toBe(true);
      }
    }
    const envNames = instructions
      .filter((l) => l.startsWith('ENV '))
      .flatMap((l) => [...l.matchAll(/([A-Z_]+)=/g)].map((m) => m[1]!));
    expect(envNames.length).toBeGreaterThan(0);
    for (const name of envNames) expect(LAWDESK_ENV, name).toContain(name);
  });

  it('keeps out of the image context what must not be in it, and nothing the build needs', () => {
    const ignored = read('deploy', 'Dockerfile.dockerignore')
      .split('\n')
      .filter((l) => l && !l.startsWith('#'));
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', 'dist', 'data', '.env', '.git']));
    for (const needed of ['prisma', 'scripts', 'prompts', 'package-lock.json', 'bin', 'src'])
      expect(ignored).not.toContain(needed);
  });
});

describe('deploy/compose', () => {
  const [compose] = parseYamlDocuments(read('deploy', 'compose', 'compose.yaml'));
  const services = asMap(asMap(compose).services);
  const lawdesk = Object.entries(services).filter(([, s]) => String(asMap(s).image).startsWith('${LAWDESK_IMAGE'));

  it('has the databases, Temporal with its own PostgreSQL and UI, the jobs, 2 bots, 2 workers and the TLS proxy', () => {
    expect(Object.keys(services).sort()).toEqual([
      'bot',
      'caddy',
      'migrate',
      'postgres',
      'temporal',
      'temporal-db',
      'temporal-setup',
      'temporal-ui',
      'worker',
    ]);
    expect(asMap(asMap(services.temporal).environment).POSTGRES_SEEDS).toBe('temporal-db');
    expect(asMap(asMap(services.bot).deploy).replicas).toBe('2');
    expect(asMap(asMap(services.worker).deploy).replicas).toBe('2');
    expect(lawdesk.map(([name]) => name).sort()).toEqual(['bot', 'migrate', 'temporal-setup', 'worker']);
  });

  it('starts bots and workers only after the migrations and the Temporal setup finished', () => {
    for (const name of ['bot', 'worker']) {
      expect(asMap(asMap(services[name]).depends_on)['temporal-setup']).toEqual({
        condition: 'service_completed_successfully',
      });
    }
    expect(asMap(asMap(services['temporal-setup']).depends_on).migrate).toEqual({
      condition: 'service_completed_successfully',
    });
  });

  it('gives LawDesk only variables it reads, and runs what the build makes', () => {
    for (const [name, service] of lawdesk) {
      for (const variable of Object.keys(asMap(asMap(service).environment)))
        expect(LAWDESK_ENV, `${name}: ${variable}`).toContain(variable);
      expect(asMap(service).env_file).toBe('lawdesk.env');
      expectRunsBuiltCode(asList(asMap(service).command) as string[], `compose ${name}`);
    }
    for (const variable of envFileNames('deploy/compose/lawdesk.env.example'))
      expect(LAWDESK_ENV, variable).toContain(variable);
  });

  it('defines in .env.example every ${VARIABLE} compose.yaml interpolates', () => {
    const interpolated = new Set(
      [...read('deploy', 'compose', 'compose.yaml').matchAll(/\$\{([A-Z_]+)/g)].map((m) => m[1]!),
    );
    expect([...interpolated].sort()).toEqual(envFileNames('deploy/compose/.env.example').sort());
  });

  it('exposes only /webhook/* through the proxy, to the bot service, and the bot health check asks /readyz', () => {
    const caddyfile = read('deploy', 'compose', 'Caddyfile');
    expect(caddyfile).toMatch(
      /handle \/webhook\/\* \{[\s\S]*name bot\n\s*port 3000[\s\S]*\n\thandle \{\n\t\trespond 404/,
    );
    expect(asList(asMap(asMap(services.bot).healthcheck).test).join(' ')).toContain('http://127.0.0.1:3000/readyz');
    expect(asList(asMap(services['temporal-ui']).ports)).toEqual(['127.0.0.1:8080:8080']);
  });
});

describe('deploy/k8s', () => {
  const dir = path.join(DEPLOY, 'k8s');
  const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
  const objects = files.flatMap((file) =>
    parseYamlDocuments(read('deploy', 'k8s', file)).map((doc) => ({ file, doc: asMap(doc) })),
  );
  const ofKind = (kind: string) => objects.filter((o) => o.doc.kind === kind).map((o) => o.doc);
  const routes = [...read('src', 'chat', 'http-server.ts').matchAll(/'GET (\/[a-z]+)'/g)].map((m) => m[1]!);
  const podSpecs = [...ofKind('Deployment'), ...ofKind('Job')].map((d) => ({
    name: String(asMap(d.metadata).name),
    spec: asMap(asMap(asMap(d.spec).template).spec),
    labels: asMap(asMap(asMap(asMap(d.spec).template).metadata).labels),
  }));

  it('every file parses and every object has apiVersion, kind and a name; kustomize lists them all', () => {
    for (const { file, doc } of objects) {
      expect(doc.apiVersion, file).toBeTruthy();
      expect(doc.kind, file).toBeTruthy();
      if (doc.kind !== 'Kustomization') expect(asMap(doc.metadata).name, file).toBeTruthy();
    }
    const listed = asList(ofKind('Kustomization')[0]!.resources) as string[];
    expect([...listed, 'kustomization.yaml', 'secret.example.yaml'].sort()).toEqual(files.sort());
  });

  it('sets only variables LawDesk reads, in the ConfigMap and the Secret', () => {
    const names = [
      ...ofKind('ConfigMap').flatMap((c) => Object.keys(asMap(c.data))),
      ...ofKind('Secret').flatMap((s) => Object.keys(asMap(s.stringData))),
    ];
    expect(names).toEqual(
      expect.arrayContaining([
        'DATABASE_URL',
        'FEISHU_APP_ID',
        'TEMPORAL_ADDRESS',
        'TEMPORAL_REGISTER_SEARCH_ATTRIBUTES',
      ]),
    );
    for (const name of names) expect(LAWDESK_ENV, name).toContain(name);
  });

  it('runs built code, from config and secrets that exist, with the TLS files where the ConfigMap says', () => {
    const configMaps = ofKind('ConfigMap').map((c) => asMap(c.metadata).name);
    const secrets = ofKind('Secret').map((s) => asMap(s.metadata).name);
    const tlsPaths = Object.entries(asMap(ofKind('ConfigMap')[0]!.data)).filter(
      ([k]) => k.startsWith('TEMPORAL_TLS_') && k !== 'TEMPORAL_TLS_SERVER_NAME',
    );
    for (const { name, spec } of podSpecs) {
      for (const container of [...asList(spec.initContainers), ...asList(spec.containers)].map(asMap)) {
        expectRunsBuiltCode(asList(container.command) as string[], `${name}/${container.name}`);
        for (const from of asList(container.envFrom).map(asMap)) {
          if (from.configMapRef) expect(configMaps).toContain(asMap(from.configMapRef).name);
          if (from.secretRef) expect(secrets).toContain(asMap(from.secretRef).name);
        }
        const mounts = asList(container.volumeMounts).map(asMap);
        for (const [variable, file] of tlsPaths) {
          expect(
            mounts.some((m) => String(file).startsWith(`${m.mountPath}/`)),
            `${name}: ${variable}`,
          ).toBe(true);
        }
        for (const mount of mounts)
          expect(
            asList(spec.volumes).map((v) => asMap(v).name),
            `${name}: ${mount.name}`,
          ).toContain(mount.name);
      }
    }
  });

  it('probes the bot on routes the server has: /healthz for liveness, /readyz for readiness', () => {
    const bot = podSpecs.find((p) => p.name === 'lawdesk-bot')!;
    const container = asMap(asList(bot.spec.containers)[0]);
    expect(asMap(asMap(container.livenessProbe).httpGet).path).toBe('/healthz');
    expect(asMap(asMap(container.readinessProbe).httpGet).path).toBe('/readyz');
    const portNames = asList(container.ports).map((p) => asMap(p).name);
    for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
      const get = asMap(asMap(container[probe]).httpGet);
      expect(routes).toContain(get.path);
      expect(portNames).toContain(get.port);
    }
  });

  it('selects the pods it means: Service and PodDisruptionBudgets by the Deployments labels, Ingress to the Service', () => {
    const bot = podSpecs.find((p) => p.name === 'lawdesk-bot')!;
    const worker = podSpecs.find((p) => p.name === 'lawdesk-worker')!;
    const service = ofKind('Service')[0]!;
    expect(asMap(service.spec).selector).toEqual(bot.labels);
    const budgets = ofKind('PodDisruptionBudget').map((b) => asMap(asMap(b.spec).selector).matchLabels);
    expect(budgets).toEqual([bot.labels, worker.labels]);
    const rules = asList(asMap(ofKind('Ingress')[0]!.spec).rules).map(asMap);
    const paths = rules.flatMap((r) => asList(asMap(r.http).paths).map(asMap));
    expect(paths.map((p) => p.path)).toEqual(['/webhook']);
    const backend = asMap(asMap(paths[0]!.backend).service);
    expect(backend.name).toBe(asMap(service.metadata).name);
    expect(asList(asMap(service.spec).ports).map((p) => asMap(p).name)).toContain(asMap(backend.port).name);
  });
});

describe('deploy/systemd', () => {
  const dir = path.join(DEPLOY, 'systemd');
  const units = readdirSync(dir).filter(
    (f) => f.startsWith('lawdesk-') && f.endsWith('.service') && f !== 'lawdesk-temporal.service',
  );

  it('runs node directly on what the build makes, with variables LawDesk reads', () => {
    expect(units.sort()).toEqual(['lawdesk-bot.service', 'lawdesk-migrate.service', 'lawdesk-worker.service']);
    for (const unit of units) {
      const text = read('deploy', 'systemd', unit);
      const execs = [...text.matchAll(/^ExecStart=(.+)$/gm)].map((m) => m[1]!.split(/\s+/));
      expect(execs.length, unit).toBeGreaterThan(0);
      for (const exec of execs) expectRunsBuiltCode(exec, unit);
      for (const m of text.matchAll(/^Environment=([A-Z_]+)=/gm))
        expect(LAWDESK_ENV, `${unit}: ${m[1]}`).toContain(m[1]);
      expect(text).toMatch(/^EnvironmentFile=\/etc\/lawdesk\/lawdesk\.env$/m);
      expect(text).toMatch(/^User=lawdesk$/m);
    }
    for (const variable of envFileNames('deploy/systemd/lawdesk.env.example'))
      expect(LAWDESK_ENV, variable).toContain(variable);
  });
});

describe('docs/deploy.md', () => {
  const doc = read('docs', 'deploy.md');
  const blocks = [...doc.matchAll(/```[a-z]*\n([\s\S]*?)```/g)].map((m) => m[1]!).join('\n');

  it('names npm scripts and CLI commands that exist, and LawDesk variables the schema reads', () => {
    for (const m of blocks.matchAll(/npm run ([\w:-]+)(?: -- ([a-z-]+(?: [a-z-]+)?))?/g)) {
      expect(scripts, m[0]).toContain(m[1]);
      if (m[1] === 'cli' && m[2]) expect(usage, m[0]).toMatch(new RegExp(`^  ${m[2].split(' ')[0]}`, 'm'));
    }
    const assigned = [
      ...blocks.matchAll(/^(?:export )?((?:FEISHU|TEMPORAL|DATABASE|OPENAI|DIGEST|DESK|QUIET|TZ)_?[A-Z_]*)=/gm),
    ].map((m) => m[1]!);
    expect(assigned.length).toBeGreaterThan(0);
    for (const name of assigned) expect(LAWDESK_ENV, name).toContain(name);
  });
});
