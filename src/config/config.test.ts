import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_PUBLIC_ROUTES, defaultPublicUrl, loadConfig } from './index.js';

const problemsOf = (f: () => unknown): readonly string[] => {
  try {
    f();
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  throw new Error('expected a ConfigError');
};

describe('loadConfig', () => {
  it('defaults make `rondo serve` work on a laptop; the auth settings are part of the one object', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ host: '127.0.0.1', port: 5000, publicUrl: null, databaseUrl: null, role: 'all', autoRegisterPops: true, workerLeaseSeconds: 15 });
    expect(c.auth).toMatchObject({ insecureNoAuth: false, tokenTtlSeconds: 3600, outboundAllow: [], adminUser: null });
    expect(c.auth.publicRoutes).toBe(DEFAULT_PUBLIC_ROUTES);
  });

  it('local PoPs: engines mode with dc1 only by default; RONDO_LOCAL_POPS adds engines; label mode keeps dc1+dc2 on one engine', () => {
    expect(loadConfig({})).toMatchObject({ popMode: 'engines', localPops: 1 });
    expect(loadConfig({ RONDO_LOCAL_POPS: '3' })).toMatchObject({ popMode: 'engines', localPops: 3 });
    expect(loadConfig({ RONDO_POP_MODE: 'labels' })).toMatchObject({ popMode: 'labels', localPops: 2 });
    expect(loadConfig({ RONDO_POP_MODE: 'labels' }, { localPops: 4 })).toMatchObject({ popMode: 'labels', localPops: 4 });
    expect(problemsOf(() => loadConfig({ RONDO_POP_MODE: 'vlans', RONDO_LOCAL_POPS: '0' })).join('\n')).toMatch(/RONDO_POP_MODE=vlans[\s\S]*RONDO_LOCAL_POPS=0/);
  });

  it('RONDO_AMQP_URL picks RabbitMQ for the event bus (default: none, the in-process bus), under RONDO_AMQP_PREFIX; a wrong one is named without its password', () => {
    expect(loadConfig({})).toMatchObject({ amqpUrl: null, amqpPrefix: 'rondo' });
    expect(loadConfig({ RONDO_AMQP_URL: 'amqp://rondo:s3cret@mq:5672/prod', RONDO_AMQP_PREFIX: 'site-a' })).toMatchObject({ amqpUrl: 'amqp://rondo:s3cret@mq:5672/prod', amqpPrefix: 'site-a' });
    const problems = problemsOf(() => loadConfig({ RONDO_AMQP_URL: 'http://rondo:s3cret@mq:5672', RONDO_AMQP_PREFIX: 'no spaces' }));
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^RONDO_AMQP_URL: expected amqp:/);
    expect(problems.join('\n')).not.toContain('s3cret');
    expect(problems[1]).toMatch(/^RONDO_AMQP_PREFIX/);
  });

  it('reports every mistake at once, of the general and the auth settings alike, each naming its variable', () => {
    const problems = problemsOf(() =>
      loadConfig({
        RONDO_PORT: 'eighty',
        RONDO_ROLE: 'boss',
        RONDO_WORKER_LEASE: '1',
        RONDO_AUTO_POPS: 'maybe',
        RONDO_PUBLIC_URL: 'ftp://mano.example.net',
        DATABASE_URL: 'mysql://db',
        RONDO_TOKEN_TTL: '5',
        RONDO_ADMIN_USER: 'root',
        RONDO_PUBLIC_ROUTES: 'healthz',
      }),
    );
    expect(problems).toHaveLength(9);
    for (const name of ['RONDO_PORT', 'RONDO_ROLE', 'RONDO_WORKER_LEASE', 'RONDO_AUTO_POPS', 'RONDO_PUBLIC_URL', 'DATABASE_URL', 'RONDO_TOKEN_TTL', 'RONDO_ADMIN_USER', 'RONDO_PUBLIC_ROUTES']) {
      expect(problems.some((p) => p.startsWith(name)), `a problem naming ${name} in ${JSON.stringify(problems)}`).toBe(true);
    }
    const e = (() => {
      try {
        return loadConfig({ RONDO_PORT: 'x', RONDO_RATE_LIMIT_RPS: '0' });
      } catch (err) {
        return err;
      }
    })();
    expect(e).toMatchObject({ code: 'CONFIG_INVALID', status: 500 });
  });

  it('flags win over the environment; auth overrides merge field by field; flag values are checked too', () => {
    const c = loadConfig({ RONDO_PORT: '6000', RONDO_TOKEN_TTL: '120' }, { port: 7000, auth: { insecureNoAuth: true } });
    expect(c.port).toBe(7000);
    expect(c.auth).toMatchObject({ insecureNoAuth: true, tokenTtlSeconds: 120 });
    expect(problemsOf(() => loadConfig({}, { port: 70_000, publicUrl: 'not a url' }))).toHaveLength(2);
  });

  it('RONDO_PUBLIC_URL: an absolute http(s) base without trailing slash; default derived from where the server listens', () => {
    expect(loadConfig({ RONDO_PUBLIC_URL: 'https://mano.example.net/rondo/' }).publicUrl).toBe('https://mano.example.net/rondo');
    expect(problemsOf(() => loadConfig({ RONDO_PUBLIC_URL: 'https://user:pw@mano.example.net' }))[0]).toMatch(/^RONDO_PUBLIC_URL=/);
    expect(defaultPublicUrl('127.0.0.1', 5000)).toBe('http://127.0.0.1:5000');
    expect(defaultPublicUrl('0.0.0.0', 8080)).toBe('http://127.0.0.1:8080');
    expect(defaultPublicUrl('::1', 5000)).toBe('http://[::1]:5000');
  });
});
