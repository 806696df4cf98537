// `npm run setup`'s Temporal step: the same install `npm start` does on first start (src/platform/temporal/install.ts).
import { ensureTemporalCli } from '../src/platform/temporal/install';

const cli = await ensureTemporalCli(process.env, (line) => console.log(`[setup] ${line}`));
console.log(
  cli
    ? `[setup] Temporal CLI: ${cli}`
    : '[setup] Temporal CLI: 没有找到,也没有 Go 工具链来安装;请安装 Go 或设置 TEMPORAL_CLI_PATH',
);
