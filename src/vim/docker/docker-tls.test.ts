import { describe, expect, it } from 'vitest';
import { VimError } from '../../model/index.js';
import { toVimError } from './docker-errors.js';
import { dockerTlsCredentialsOf, tlsVimError } from './docker-tls.js';
import { dockerConnection } from './docker-vim-driver.js';

const err = (code: string, message = code) => Object.assign(new Error(message), { code });

describe('certificate failures of a Docker engine over TLS', () => {
  it.each([
    ['CERT_HAS_EXPIRED', 'EXPIRED', 'server'],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNKNOWN_CA', 'server'],
    ['SELF_SIGNED_CERT_IN_CHAIN', 'UNKNOWN_CA', 'server'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'HOSTNAME_MISMATCH', 'server'],
    ['ERR_SSL_TLSV1_ALERT_UNKNOWN_CA', 'UNKNOWN_CA', 'client'],
    ['ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED', 'EXPIRED', 'client'],
    ['ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE', 'BAD_CERTIFICATE', 'client'],
  ])('%s is VIM_TLS %s (%s side), not a connection failure', (code, tlsProblem, tlsSide) => {
    const e = toVimError('pop1', 'version', err(code, `${code} happened`), { host: 'engine.example' });
    expect(e).toBeInstanceOf(VimError);
    expect(e).toMatchObject({ kind: 'TLS', code: 'VIM_TLS', status: 502, retryable: false, details: { tlsProblem, tlsSide, vim: 'pop1' } });
  });

  it('names the host a certificate does not cover', () => {
    expect(tlsVimError('pop1', 'version', err('ERR_TLS_CERT_ALTNAME_INVALID'), { host: 'engine.example' })?.message).toContain('not issued for engine.example');
  });

  it('leaves socket errors and HTTP answers to the usual mapping', () => {
    expect(tlsVimError('pop1', 'x', err('ECONNREFUSED'), { host: 'h' })).toBeUndefined();
    expect(toVimError('pop1', 'x', err('ECONNREFUSED')).kind).toBe('CONNECTION');
    expect(toVimError('pop1', 'x', { statusCode: 404 }).kind).toBe('NOT_FOUND');
  });

  it('wants all three PEM members or none', () => {
    expect(dockerTlsCredentialsOf('pop1', { username: 'x' })).toBeUndefined();
    expect(() => dockerTlsCredentialsOf('pop1', { tlsCaCert: 'a', tlsCert: 'b' })).toThrow(expect.objectContaining({ code: 'VIM_TLS', details: expect.objectContaining({ tlsProblem: 'INVALID_PEM' }) }));
  });
});

describe('dockerConnection with TLS', () => {
  const tls = { ca: 'CA', cert: 'CERT', key: 'KEY' } as Parameters<typeof dockerConnection>[2];
  it('speaks HTTPS with the certificates to tcp://, on 2376 by default', () => {
    expect(dockerConnection('p', 'tcp://10.0.0.7', tls)).toMatchObject({ host: '10.0.0.7', port: 2376, protocol: 'https', ca: 'CA', cert: 'CERT', key: 'KEY' });
    expect(dockerConnection('p', 'tcp://10.0.0.7:23760', tls)).toMatchObject({ port: 23760, protocol: 'https' });
    expect(dockerConnection('p', 'tcp://10.0.0.7')).toMatchObject({ port: 2375, protocol: 'http' });
  });
  it('refuses TLS over a unix socket', () => {
    expect(() => dockerConnection('p', 'unix:///var/run/docker.sock', tls)).toThrow(expect.objectContaining({ code: 'VIM_NOT_SUPPORTED' }));
  });
});
