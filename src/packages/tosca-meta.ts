/**
 * `TOSCA-Metadata/TOSCA.meta` (TOSCA 1.3 §4.2, SOL004 §4.2): blocks of `Key: value` lines
 * separated by blank lines. The first block holds the package keys (`Entry-Definitions`,
 * `ETSI-Entry-Manifest`, ...); later blocks describe files (`Name`, `Content-Type`, and in
 * Tacker's style `Algorithm`/`Hash`). Keys are matched case-insensitively.
 */
export interface ToscaMeta {
  /** Keys of the first block, lower-cased. */
  readonly main: Readonly<Record<string, string>>;
  /** Later blocks (file descriptions), keys lower-cased. */
  readonly blocks: ReadonlyArray<Readonly<Record<string, string>>>;
  /** Values of repeatable keys of the first block (e.g. `other-definitions`), in order. */
  readonly repeated: Readonly<Record<string, readonly string[]>>;
}

/** Parses TOSCA.meta text; lines without a colon are ignored (they are reported by the caller's checks). */
export const parseToscaMeta = (text: string): ToscaMeta => {
  const blocks: Array<Record<string, string>> = [];
  const repeated: Record<string, string[]> = {};
  let cur: Record<string, string> | undefined;
  for (const raw of text.replace(/^\uFEFF/, '').split(/\r?\n/)) {
    const line = raw.trimEnd();
    if (line.trim() === '') {
      cur = undefined;
      continue;
    }
    const i = line.indexOf(':');
    if (i <= 0) continue;
    if (!cur) {
      cur = {};
      blocks.push(cur);
    }
    const key = line.slice(0, i).trim().toLowerCase();
    const value = line.slice(i + 1).trim();
    if (blocks.length === 1) (repeated[key] ??= []).push(value);
    if (!(key in cur)) cur[key] = value;
  }
  return { main: blocks[0] ?? {}, blocks: blocks.slice(1), repeated };
};

/** One `Source`/`Algorithm`/`Hash` entry of an ETSI manifest. */
export interface ManifestEntry {
  readonly source: string;
  readonly algorithm?: string;
  readonly hash?: string;
  /** 1-based line of the `Source:` line, used as the issue path. */
  readonly line: number;
}

/** An ETSI SOL004 manifest (`.mf`): the `metadata:` block and the file entries. */
export interface EtsiManifest {
  readonly metadata: Readonly<Record<string, string>>;
  readonly entries: readonly ManifestEntry[];
}

/**
 * Parses a SOL004 §4.3.2 manifest. Tolerates the older 5GTANGO form without a `metadata:`
 * header (top `key: value` lines), and skips signature and `non_mano_artifact_sets` blocks.
 */
export const parseEtsiManifest = (text: string): EtsiManifest => {
  const metadata: Record<string, string> = {};
  const entries: ManifestEntry[] = [];
  let cur: { source: string; algorithm?: string; hash?: string; line: number } | undefined;
  let inMetadata = true;
  let skipping = false;
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, idx) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    if (line.startsWith('-----BEGIN')) skipping = true;
    if (skipping) {
      if (line.startsWith('-----END')) skipping = false;
      return;
    }
    const i = line.indexOf(':');
    if (i <= 0) return;
    const key = line.slice(0, i).trim();
    const value = line.slice(i + 1).trim().replace(/^(['"])(.*)\1$/, '$2');
    const lower = key.toLowerCase();
    if (lower === 'metadata' && value === '') return;
    if (lower === 'non_mano_artifact_sets') {
      inMetadata = false;
      return;
    }
    if (lower === 'source') {
      inMetadata = false;
      if (cur) entries.push(cur);
      cur = { source: value, line: idx + 1 };
    } else if (lower === 'algorithm' && cur) cur.algorithm = value;
    else if (lower === 'hash' && cur) cur.hash = value;
    else if (inMetadata) metadata[key] = value;
  });
  if (cur) entries.push(cur);
  return { metadata, entries };
};
