// Installs the Temporal CLI (the dev server `npm start` runs) where none is found, so a fresh machine needs no step by
// hand. The SDK's own download needs a host these machines cannot reach; the Go module proxy is reachable, and
// `go install …@v1.5.1` is the newest tag whose go.mod has no `replace` directive (later tags refuse `go install`).
// Used by `npm start` (src/platform/temporal/dev-server.ts) and by scripts/setup.sh, so the command lives in one place.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir, findOnPath, findTemporalCli } from './binaries';

export const TEMPORAL_CLI_VERSION = 'v1.5.1';
const MODULE = 'github.com/temporalio/cli/cmd/temporal';
const PROGRESS_EVERY_MS = 15_000;

/**
 * The Temporal CLI's path: the one already there, else a fresh `go install` into `$LAWDESK_CACHE/bin` with a progress
 * line every 15 s. `undefined` when there is none and no Go toolchain to build one (the caller then says what to do).
 */
export async function ensureTemporalCli(
  env: NodeJS.ProcessEnv = process.env,
  log: (line: string) => void = (line) => console.log(line),
): Promise<string | undefined> {
  const found = findTemporalCli(env);
  if (found) return found;
  const go = findOnPath('go', env) ?? ['/usr/local/go/bin/go', '/usr/lib/go/bin/go'].find((p) => existsSync(p));
  if (!go) return undefined;

  const bin = join(cacheDir(env), 'bin');
  mkdirSync(bin, { recursive: true });
  // Built into a private folder and renamed into place: a second process starting meanwhile never runs half a binary.
  const staging = mkdtempSync(join(bin, '.temporal-install-'));
  const started = Date.now();
  log(`没有找到 Temporal CLI,正在安装 Temporal CLI ${TEMPORAL_CLI_VERSION}(go install,约 4 分钟,只需一次)→ ${bin}`);
  const ticker = setInterval(
    () => log(`  Temporal CLI 安装中… 已用 ${Math.round((Date.now() - started) / 1000)} 秒`),
    PROGRESS_EVERY_MS,
  );
  try {
    const output = await run(go, ['install', `${MODULE}@${TEMPORAL_CLI_VERSION}`], { ...env, GOBIN: staging });
    const built = join(staging, 'temporal');
    if (!existsSync(built)) throw new Error(`go install 结束但没有生成 temporal:\n${output.slice(-2000)}`);
    renameSync(built, join(bin, 'temporal'));
  } finally {
    clearInterval(ticker);
    rmSync(staging, { recursive: true, force: true });
  }
  log(`Temporal CLI 已安装,用时 ${Math.round((Date.now() - started) / 1000)} 秒: ${join(bin, 'temporal')}`);
  return join(bin, 'temporal');
}

function run(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-20_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve(output)
        : reject(
            new Error(`安装 Temporal CLI 失败(${file} ${args.join(' ')} 退出码 ${code}):\n${output.slice(-2000)}`),
          ),
    );
  });
}
