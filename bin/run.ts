import { ConfigError, loadConfig, type Config } from '../src/platform/config';
import { startLawDesk } from '../src/app/app';
import { createLogger } from '../src/platform/logger';
import { startIdleMemoryRelease } from '../src/platform/idle-memory-release';
import { keepWebAssemblyOnBaselineCompiler } from '../src/platform/wasm-baseline';

/** Shared by the three entry points: parse the environment, start the parts, stop cleanly on a signal. */
export async function run(parts: { receiver: boolean; worker: boolean }): Promise<void> {
  keepWebAssemblyOnBaselineCompiler();
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const app = await startLawDesk(config, parts).catch((error: Error) => {
    // A sentence for the operator (a missing certificate file, search attributes to add), not a stack trace.
    if (['TemporalConnectionError', 'SearchAttributesError'].includes(error.name)) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  });
  const log = createLogger({ format: config.LOG_FORMAT });
  log('执法通 LawDesk 已启动。按 Ctrl+C 停止。');
  const memoryRelease = startIdleMemoryRelease({
    idleMs: config.IDLE_MEMORY_RELEASE_S * 1000,
    log: (line) => log.write('debug', line),
  });
  let stopping = false;
  const stop = async () => {
    // A second Ctrl+C (or SIGTERM) does not wait for the drain and the worker's grace time.
    if (stopping) process.exit(1);
    stopping = true;
    log('正在停止(处理中的事件和活动先完成;再按一次 Ctrl+C 立即退出)…');
    memoryRelease.stop();
    await app.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
