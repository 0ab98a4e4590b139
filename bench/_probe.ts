import pg from 'pg';
import { loadConfig } from '../src/config/index.js';
import { startServer } from '../src/app/index.js';
import { openStore } from '../src/store/index.js';
import { seedNsRecords } from '../test/support/ns-records-seed.js';
const PG_URL = 'postgres://postgres@127.0.0.1:5432/test';
const schema = 'probe_api';
const c = new pg.Client({ connectionString: PG_URL }); await c.connect();
const exists = (await c.query(`SELECT 1 FROM information_schema.schemata WHERE schema_name=$1`, [schema])).rowCount;
await c.end();
let ids: string[];
if (!exists || process.argv.includes('reseed')) {
  const s = await openStore({ kind: 'postgres', url: PG_URL, schema, poolSize: 10 });
  const seed = await seedNsRecords(s.db, { ns: 10000, ops: 100000, vnfsPerNs: 3, tenants: ['default', 'tenant-b', 'tenant-c'] });
  ids = [...seed.nsIds]; await s.close();
  await (await import('node:fs/promises')).writeFile('/tmp/apiprobe/ids.json', JSON.stringify(ids));
} else ids = JSON.parse(await (await import('node:fs/promises')).readFile('/tmp/apiprobe/ids.json', 'utf8'));
const config = loadConfig({ ...process.env, RONDO_INSECURE_NO_AUTH: '1', RONDO_RATE_LIMIT_BURST: '0', RONDO_ROLE: 'api', RONDO_AUTO_POPS: '0', RONDO_HOST: '127.0.0.1', RONDO_PORT: '0', RONDO_LOG_LEVEL: process.env.LOGL ?? 'info', RONDO_DATA_DIR: '/tmp/apiprobe/data', DATABASE_URL: PG_URL, RONDO_DB_SCHEMA: schema });
const server = await startServer(config, { notice: () => undefined });
const routes: [string, () => string][] = [
  ['list', () => '/nslcm/v1/ns_instances'],
  ['listf', () => `/nslcm/v1/ns_instances?filter=${encodeURIComponent('(eq,nsdId,nsd-3);(eq,vnfInstance/state,STOPPED)')}`],
  ['show', () => `/nslcm/v1/ns_instances/${ids[Math.floor(Math.random() * 2000)]}`],
  ['ops', () => `/nslcm/v1/ns_lcm_op_occs?filter=${encodeURIComponent('(eq,operationState,FAILED_TEMP)')}`],
];
{ const st = new Map(); for (let i = 0; i < 200; i++) { const r = await fetch(server.url + routes[2][1]()); const t = await r.text(); st.set(r.status + ':' + t.length, t.slice(0, 200)); } console.log([...st].slice(0, 4)); }
const N = Number(process.env.N ?? 1000);
for (const [name, path] of routes) {
  let bytes = 0;
  for (let i = 0; i < 100; i++) { const r = await fetch(server.url + path()); bytes = (await r.arrayBuffer()).byteLength; }
  const cpu0 = process.cpuUsage(); const t0 = performance.now();
  for (let i = 0; i < N; i++) { const r = await fetch(server.url + path()); await r.arrayBuffer(); }
  const dt = performance.now() - t0; const cpu = process.cpuUsage(cpu0);
  console.log(`${name.padEnd(6)} ${bytes} B  ${(dt / N).toFixed(3)} ms/req wall  ${((cpu.user + cpu.system) / 1000 / N).toFixed(3)} ms/req cpu(incl client)`);
}
const m = await (await fetch(server.url + '/metrics')).text(); console.log(m.split('\n').filter((l) => l.includes('cache')).join('\n'));
await server.close();
process.exit(0);
