import http from 'node:http';
import { liveness, readiness, type ProbeAnswer, type ReadinessDeps } from '../chat/health';
import { metrics, PROMETHEUS_CONTENT_TYPE } from '../platform/metrics';

// `npm run worker` has no webhook, but an orchestrator still needs to know it is alive and working, and Prometheus
// still scrapes it: GET /healthz, /readyz (stopping, database, Temporal, Feishu's token, and the worker polling),
// /metrics on PORT. Nothing else is served.

export function createOpsServer(deps: ReadinessDeps & { workerState: () => string }): http.Server {
  return http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const answer = async (): Promise<ProbeAnswer | { status: number; text: string }> => {
      if (req.method !== 'GET') return { status: 405, body: { error: 'method not allowed' } };
      if (path === '/healthz') return liveness();
      if (path === '/metrics') return { status: 200, text: await metrics.render() };
      if (path !== '/readyz') return { status: 404, body: { error: 'not found' } };
      const ready = await readiness(deps);
      const worker = deps.workerState();
      if (ready.status !== 200 || worker === 'RUNNING') return { ...ready, body: { ...ready.body, worker } };
      return { status: 503, body: { ...ready.body, status: 'degraded', worker } };
    };
    answer().then(
      (a) => {
        const text = 'text' in a ? a.text : JSON.stringify(a.body);
        const type = 'text' in a ? PROMETHEUS_CONTENT_TYPE : 'application/json; charset=utf-8';
        res.writeHead(a.status, { 'content-type': type, 'content-length': Buffer.byteLength(text) }).end(text);
      },
      () => res.writeHead(500).end(),
    );
  });
}
