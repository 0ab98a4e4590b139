import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** PEM files of a test PKI, made with the `openssl` CLI. */
export interface TestPki {
  readonly dir: string;
  /** Path of a PEM file in `dir`. */
  file(name: string): string;
  /** Text of a PEM file in `dir`. */
  pem(name: string): string;
}

const openssl = (dir: string, args: readonly string[]): void => {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
};

/** A CA (`<name>-ca.pem`, `<name>-ca.key`), self-signed, valid 2 days. */
export function makeCa(dir: string, name: string): void {
  openssl(dir, ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', `${name}-ca.key`, '-out', `${name}-ca.pem`, '-days', '2', '-subj', `/CN=${name} CA`]);
}

/**
 * A leaf certificate `<name>.pem` with key `<name>.key`, signed by CA `ca`: for a server
 * (`sans` e.g. `IP:127.0.0.1`) or a client. `days` -1 makes one that expired yesterday.
 */
export function makeLeaf(dir: string, ca: string, name: string, opts: { readonly usage: 'serverAuth' | 'clientAuth'; readonly sans?: readonly string[]; readonly days?: number }): void {
  openssl(dir, ['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`]);
  const ext = [`extendedKeyUsage=${opts.usage}`, 'keyUsage=digitalSignature,keyEncipherment', ...(opts.sans?.length ? [`subjectAltName=${opts.sans.join(',')}`] : [])];
  writeFileSync(join(dir, `${name}.ext`), `${ext.join('\n')}\n`);
  openssl(dir, ['x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}-ca.pem`, '-CAkey', `${ca}-ca.key`, '-CAcreateserial', '-days', String(opts.days ?? 2), '-extfile', `${name}.ext`, '-out', `${name}.pem`]);
}

/** A {@link TestPki} over `dir`. */
export function pkiIn(dir: string): TestPki {
  return { dir, file: (name) => join(dir, name), pem: (name) => readFileSync(join(dir, name), 'utf8') };
}
