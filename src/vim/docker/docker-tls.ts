import { X509Certificate, createPrivateKey } from 'node:crypto';
import { createSecureContext } from 'node:tls';
import { VimError } from '../../model/index.js';
import type { VimTlsProblem, VimTlsSide } from '../../model/index.js';

/**
 * Mutual TLS to a Docker engine (`dockerd --tlsverify`): PEM text of the CA that signed the
 * engine's certificate, and the client certificate and key the engine checks against its
 * own `--tlscacert`. A Docker VIM account keeps them in its sealed credentials under these
 * names (after Docker's own `--tlscacert`, `--tlscert`, `--tlskey`).
 */
export interface DockerTlsCredentials {
  readonly tlsCaCert: string;
  readonly tlsCert: string;
  readonly tlsKey: string;
}

/** The names of the {@link DockerTlsCredentials} members. */
export const DOCKER_TLS_FIELDS = ['tlsCaCert', 'tlsCert', 'tlsKey'] as const;

/** The TLS options dockerode passes to `https.request`, checked. */
export interface DockerTlsOptions {
  readonly ca: string;
  readonly cert: string;
  readonly key: string;
  /** The client certificate and the CA, parsed: errors about them name and explain them. */
  readonly clientCert: X509Certificate;
  readonly caCert: X509Certificate;
}

/** What a certificate error names: the endpoint's host, the account's certificates, the time now. */
export interface DockerTlsContext {
  readonly host: string;
  readonly clientCert?: X509Certificate;
  readonly caCert?: X509Certificate;
  readonly now?: Date;
}

const pemError = (vim: string, what: string, e: unknown): VimError =>
  new VimError('TLS', vim, `${what}: ${(e as Error).message}; give PEM text (-----BEGIN …-----)`, { cause: e, tlsProblem: 'INVALID_PEM', tlsSide: 'client' });

/**
 * The credentials as TLS options, checked before any connection: each is PEM that parses
 * and the key belongs to the certificate. Throws VimError `TLS` (tlsProblem INVALID_PEM)
 * otherwise, saying which one is wrong.
 */
export function dockerTlsOptions(vim: string, creds: DockerTlsCredentials): DockerTlsOptions {
  let clientCert: X509Certificate;
  let caCert: X509Certificate;
  try {
    caCert = new X509Certificate(creds.tlsCaCert);
  } catch (e) {
    throw pemError(vim, 'the CA certificate (tlsCaCert) is not a certificate', e);
  }
  try {
    clientCert = new X509Certificate(creds.tlsCert);
  } catch (e) {
    throw pemError(vim, 'the client certificate (tlsCert) is not a certificate', e);
  }
  try {
    if (!clientCert.checkPrivateKey(createPrivateKey(creds.tlsKey))) {
      throw new VimError('TLS', vim, `the client key (tlsKey) does not belong to the client certificate (${clientCert.subject.replace(/\n/g, ', ')}); give the key it was issued for`, { tlsProblem: 'INVALID_PEM', tlsSide: 'client' });
    }
    createSecureContext({ ca: creds.tlsCaCert, cert: creds.tlsCert, key: creds.tlsKey });
  } catch (e) {
    if (e instanceof VimError) throw e;
    throw pemError(vim, 'the client key (tlsKey) cannot be used', e);
  }
  return { ca: creds.tlsCaCert, cert: creds.tlsCert, key: creds.tlsKey, clientCert, caCert };
}

/** The TLS credentials of a Docker account's (opened) secret, when it has them; VimError TLS when only some are there. */
export function dockerTlsCredentialsOf(vim: string, secret: Readonly<Record<string, unknown>>): DockerTlsCredentials | undefined {
  const given = DOCKER_TLS_FIELDS.filter((f) => typeof secret[f] === 'string' && secret[f] !== '');
  if (given.length === 0) return undefined;
  if (given.length < DOCKER_TLS_FIELDS.length) {
    const missing = DOCKER_TLS_FIELDS.filter((f) => !given.includes(f));
    throw new VimError('TLS', vim, `mutual TLS needs tlsCaCert, tlsCert and tlsKey; missing ${missing.join(', ')}`, { tlsProblem: 'INVALID_PEM', tlsSide: 'client' });
  }
  return { tlsCaCert: secret.tlsCaCert as string, tlsCert: secret.tlsCert as string, tlsKey: secret.tlsKey as string };
}

interface Diagnosis {
  readonly problem: VimTlsProblem;
  readonly side: VimTlsSide;
  readonly say: (ctx: DockerTlsContext) => string;
}

const subjectOf = (c: X509Certificate | undefined): string => (c ? ` (${c.subject.replace(/\n/g, ', ')})` : '');
const SERVER_UNKNOWN_CA: Diagnosis = {
  problem: 'UNKNOWN_CA', side: 'server',
  say: () => "the engine's certificate is not signed by the account's CA (tlsCaCert); give the CA that signed the engine's --tlscert",
};

// Node's codes for a failed check of the engine's certificate (OpenSSL verify results,
// and Node's own hostname check), and for alerts the engine sent about ours.
const DIAGNOSES: Readonly<Record<string, Diagnosis>> = {
  CERT_HAS_EXPIRED: { problem: 'EXPIRED', side: 'server', say: () => "the engine's certificate has expired; renew the engine's --tlscert" },
  CERT_NOT_YET_VALID: { problem: 'NOT_YET_VALID', side: 'server', say: () => "the engine's certificate is not valid yet; check the clocks of both hosts" },
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: SERVER_UNKNOWN_CA,
  UNABLE_TO_GET_ISSUER_CERT: SERVER_UNKNOWN_CA,
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: SERVER_UNKNOWN_CA,
  SELF_SIGNED_CERT_IN_CHAIN: SERVER_UNKNOWN_CA,
  DEPTH_ZERO_SELF_SIGNED_CERT: SERVER_UNKNOWN_CA,
  CERT_SIGNATURE_FAILURE: SERVER_UNKNOWN_CA,
  ERR_TLS_CERT_ALTNAME_INVALID: {
    problem: 'HOSTNAME_MISMATCH', side: 'server',
    say: ({ host }) => `the engine's certificate is not issued for ${host}; use a host name its subjectAltName lists, or reissue it with ${host} in it`,
  },
  ERR_SSL_TLSV1_ALERT_UNKNOWN_CA: {
    problem: 'UNKNOWN_CA', side: 'client',
    say: ({ clientCert }) => `the engine refused the client certificate${subjectOf(clientCert)}: it is not signed by a CA the engine trusts; sign it with the engine's --tlscacert`,
  },
  ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED: {
    problem: 'EXPIRED', side: 'client',
    say: ({ clientCert }) => `the engine refused the client certificate${subjectOf(clientCert)}: it expired${clientCert ? ` on ${new Date(clientCert.validTo).toISOString()}` : ''}; issue a new one`,
  },
  ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE: {
    problem: 'BAD_CERTIFICATE', side: 'client',
    say: ({ clientCert }) => `the engine refused the client certificate${subjectOf(clientCert)} (bad certificate: expired, not yet valid or not for client authentication); issue a new one from the engine's CA`,
  },
  ERR_SSL_SSLV3_ALERT_UNSUPPORTED_CERTIFICATE: {
    problem: 'BAD_CERTIFICATE', side: 'client',
    say: ({ clientCert }) => `the engine refused the client certificate${subjectOf(clientCert)} as unsupported (extendedKeyUsage must allow clientAuth)`,
  },
  ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED: {
    problem: 'BAD_CERTIFICATE', side: 'client', say: () => 'the engine wants a client certificate and got none; give tlsCert and tlsKey',
  },
};

const isoDay = (t: string): string => new Date(t).toISOString();
/** OpenSSL's reason ("sslv3 alert bad certificate") rather than its whole error line. */
const reasonOf = (message: unknown): string => {
  const text = String(message ?? '').trim();
  return /SSL routines:[^:]*:([^:]+):/.exec(text)?.[1] ?? text;
};

/**
 * Why the engine refused our certificate, found by looking at it: dockerd (Go before 1.19
 * or so) answers every failed client check with alert 42 "bad certificate", expired and
 * unknown CA alike. Undefined when the certificate looks fine from here.
 */
function clientRefusal(ctx: DockerTlsContext): Diagnosis | undefined {
  const cert = ctx.clientCert;
  if (!cert) return undefined;
  const now = ctx.now ?? new Date();
  if (new Date(cert.validTo) < now) {
    return { problem: 'EXPIRED', side: 'client', say: () => `the engine refused the client certificate${subjectOf(cert)}: it expired on ${isoDay(cert.validTo)}; issue a new one from the engine's CA` };
  }
  if (new Date(cert.validFrom) > now) {
    return { problem: 'NOT_YET_VALID', side: 'client', say: () => `the engine refused the client certificate${subjectOf(cert)}: it is valid only from ${isoDay(cert.validFrom)}; check the clocks, or issue a new one` };
  }
  const ca = ctx.caCert;
  if (ca && !(cert.checkIssued(ca) && cert.verify(ca.publicKey))) {
    return {
      problem: 'UNKNOWN_CA', side: 'client',
      say: () => `the engine refused the client certificate${subjectOf(cert)}: it is issued by ${cert.issuer.replace(/\n/g, ', ')}, not by the CA the account trusts (${ca.subject.replace(/\n/g, ', ')}); sign it with the engine's --tlscacert`,
    };
  }
  return undefined;
}

/**
 * A TLS failure of a call to a Docker engine as VimError `TLS` with a `tlsProblem` and
 * `tlsSide` and a detail that says what to fix, or undefined when `error` is not a
 * certificate problem. `ctx` names the endpoint's host and the account's certificates.
 */
export function tlsVimError(vim: string, what: string, error: unknown, ctx: DockerTlsContext): VimError | undefined {
  const e = (error ?? {}) as { code?: unknown; message?: unknown };
  const code = typeof e.code === 'string' ? e.code : '';
  const named = DIAGNOSES[code];
  const d = named?.side === 'client' ? clientRefusal(ctx) ?? named : named;
  if (d) return new VimError('TLS', vim, `${what}: ${d.say(ctx)} (${code}: ${reasonOf(e.message)})`, { cause: error, tlsProblem: d.problem, tlsSide: d.side });
  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'EPROTO') {
    return new VimError('TLS', vim, `${what}: the TLS handshake failed (${code}: ${reasonOf(e.message)}); is ${ctx.host} a dockerd with --tlsverify on this port?`, { cause: error, tlsProblem: 'BAD_CERTIFICATE', tlsSide: 'server' });
  }
  if (code.startsWith('ERR_SSL_') && code.includes('ALERT')) {
    const local = clientRefusal(ctx);
    if (local) return new VimError('TLS', vim, `${what}: ${local.say(ctx)} (${code}: ${reasonOf(e.message)})`, { cause: error, tlsProblem: local.problem, tlsSide: local.side });
    return new VimError('TLS', vim, `${what}: the engine ended the TLS handshake (${code}: ${reasonOf(e.message)}); check the client certificate and key`, { cause: error, tlsProblem: 'BAD_CERTIFICATE', tlsSide: 'client' });
  }
  return undefined;
}
