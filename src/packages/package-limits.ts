/** Hard limits applied to every package read. Each one stops a class of hostile upload. */
export interface PackageLimits {
  /** Largest archive file (bytes). */
  maxBytes: number;
  /** Most entries in the zip central directory. */
  maxEntries: number;
  /** Largest sum of uncompressed entry sizes (bytes). */
  maxUncompressedBytes: number;
  /** Largest uncompressed/compressed ratio, per entry and for the whole archive. */
  maxRatio: number;
  /** Most YAML alias expansions in one descriptor. */
  maxYamlAliases: number;
  /** Deepest YAML nesting in one descriptor. */
  maxDepth: number;
  /** Largest single entry (bytes); descriptor YAML files are capped at {@link MAX_DESCRIPTOR_BYTES}. */
  maxEntryBytes: number;
}

const MiB = 2 ** 20;

/** Defaults: 512 MiB upload, 10 000 entries, 1 GiB uncompressed, ratio 100, 100 aliases, depth 64, 64 MiB per entry. */
export const DEFAULT_PACKAGE_LIMITS: PackageLimits = {
  maxBytes: 512 * MiB,
  maxEntries: 10_000,
  maxUncompressedBytes: 1024 * MiB,
  maxRatio: 100,
  maxYamlAliases: 100,
  maxDepth: 64,
  maxEntryBytes: 64 * MiB,
};

/** Largest descriptor or metadata file (YAML, TOSCA.meta, manifest) read into memory. */
export const MAX_DESCRIPTOR_BYTES = 4 * MiB;

/**
 * Ratios are only judged above this size: a small, very repetitive file (a YAML with
 * long runs of spaces) compresses well without being a bomb.
 */
export const RATIO_FLOOR_BYTES = 1 * MiB;

/** Most issues reported for one archive; past it, one summary issue says how many were left out. */
export const MAX_ISSUES = 200;

/** Fills unset limits from {@link DEFAULT_PACKAGE_LIMITS}. */
export const resolveLimits = (partial: Partial<PackageLimits> = {}): PackageLimits => ({ ...DEFAULT_PACKAGE_LIMITS, ...partial });
