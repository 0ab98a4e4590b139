import { describe, expect, it } from 'vitest';
import { computeState, cpuCfs } from './docker-compute-spec.js';
import { toVimError } from './docker-errors.js';
import { toVimEvent } from './docker-events.js';

describe('cpuCfs (5GTANGO LLCM formula)', () => {
  it('uses a 1 s period and quota = period × cpu_bw, at least 1 ms', () => {
    expect(cpuCfs(0.25)).toEqual({ CpuPeriod: 1_000_000, CpuQuota: 250_000 });
    expect(cpuCfs(2)).toEqual({ CpuPeriod: 1_000_000, CpuQuota: 2_000_000 });
    expect(cpuCfs(0.0001)).toEqual({ CpuPeriod: 1_000_000, CpuQuota: 1000 });
    expect(cpuCfs(0.3333333)).toEqual({ CpuPeriod: 1_000_000, CpuQuota: 333_333 });
    expect(cpuCfs(undefined)).toBeNull();
    expect(cpuCfs(-1)).toBeNull();
  });
});

describe('computeState', () => {
  const s = (Status: string, ExitCode = 0, OOMKilled = false) => computeState({ Status, ExitCode, OOMKilled } as Parameters<typeof computeState>[0]);
  it('maps Docker states', () => {
    expect([s('running'), s('created'), s('restarting'), s('paused'), s('exited'), s('exited', 137), s('exited', 0, true), s('dead'), s('removing')])
      .toEqual(['ACTIVE', 'BUILD', 'BUILD', 'STOPPED', 'STOPPED', 'ERROR', 'ERROR', 'ERROR', 'DELETED']);
  });
});

describe('toVimError', () => {
  const kind = (e: unknown) => toVimError('d', 'x', e).kind;
  it('classifies dockerode errors', () => {
    expect(kind(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toBe('CONNECTION');
    expect(kind(Object.assign(new Error('connect ENOENT /var/run/docker.sock'), { code: 'ENOENT' }))).toBe('CONNECTION');
    expect(kind(Object.assign(new Error('EACCES'), { code: 'EACCES' }))).toBe('AUTH');
    expect(kind({ statusCode: 404, json: { message: 'No such image' } })).toBe('NOT_FOUND');
    expect(kind({ statusCode: 409, json: { message: 'name in use' } })).toBe('CONFLICT');
    expect(kind({ statusCode: 403, json: { message: 'Pool overlaps with other one on this address space' } })).toBe('SUBNET_IN_USE');
    expect(kind({ statusCode: 403, json: { message: 'Address already in use' } })).toBe('CONFLICT');
    expect(kind({ statusCode: 403, json: { message: 'authorization denied by plugin' } })).toBe('AUTH');
    expect(kind({ statusCode: 401, json: { message: 'no' } })).toBe('AUTH');
    expect(kind({ statusCode: 500, json: { message: "Invalid address: It does not belong to any of this network's subnets" } })).toBe('CONFLICT');
    expect(kind({ statusCode: 400, json: { message: 'bad parameter' } })).toBe('UNEXPECTED_RESPONSE');
    expect(toVimError('d', 'x', { statusCode: 503 }).retryable).toBe(true);
    // What a stopping engine answers to requests in flight (seen with `dockerd` SIGTERM).
    expect(kind({ statusCode: 500, json: { message: 'transport is closing: unavailable' } })).toBe('CONNECTION');
    expect(kind({ statusCode: 500, json: { message: 'grpc: the client connection is closing: context canceled' } })).toBe('CONNECTION');
    expect(kind({ statusCode: 500, json: { message: 'failed to update store for object type *libnetwork.endpoint: open : no such file or directory' } })).toBe('CONNECTION');
    expect(toVimError('d', 'x', { statusCode: 500, json: { message: 'transport is closing: unavailable' } }).retryable).toBe(true);
  });
});

describe('toVimEvent', () => {
  const base = { Type: 'container', timeNano: 1_700_000_000_123_000_000, Actor: { ID: 'c1', Attributes: { 'rondo.ns': 'ns1', name: 'v', image: 'i', exitCode: '137' } } };
  it('maps die, oom, start and health, keeping only labels (and the container name)', () => {
    expect(toVimEvent({ ...base, Action: 'die' })).toEqual({ type: 'compute.died', computeId: 'c1', computeName: 'v', labels: { 'rondo.ns': 'ns1' }, exitCode: 137, at: new Date(1_700_000_000_123) });
    expect(toVimEvent({ ...base, Action: 'oom' })?.type).toBe('compute.oom');
    expect(toVimEvent({ ...base, Action: 'start' })?.type).toBe('compute.started');
    expect(toVimEvent({ ...base, Action: 'health_status: unhealthy' })).toMatchObject({ type: 'compute.health', healthy: false });
    expect(toVimEvent({ ...base, Action: 'health_status: healthy' })).toMatchObject({ type: 'compute.health', healthy: true });
    expect(toVimEvent({ ...base, Action: 'exec_start' })).toBeNull();
  });
});
