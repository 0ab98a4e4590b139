/**
 * Memory and storage size units used by 5GTANGO (`size_unit`) and TOSCA scalar-unit.size
 * (`"512 MB"`). Decimal and binary prefixes are kept apart: 1 MB = 10^6 B, 1 MiB = 2^20 B.
 */

const UNIT_BYTES: Readonly<Record<string, number>> = {
  B: 1,
  kB: 1e3,
  KB: 1e3,
  KiB: 2 ** 10,
  MB: 1e6,
  MiB: 2 ** 20,
  GB: 1e9,
  GiB: 2 ** 30,
  TB: 1e12,
  TiB: 2 ** 40,
};

/** Unit names accepted in descriptors (case-sensitive, as in the 5GTANGO schema and TOSCA). */
export const SIZE_UNITS = Object.keys(UNIT_BYTES);

/** Converts `size` in `unit` to bytes; undefined when the unit is unknown or the size not a positive finite number. */
export const sizeToBytes = (size: number, unit: string): number | undefined => {
  // TOSCA scalar units are case-insensitive (TOSCA 1.3 §3.3.6.4); 5GTANGO spells them exactly.
  const factor = UNIT_BYTES[unit] ?? UNIT_BYTES[canonicalUnit(unit) ?? ''];
  if (factor === undefined || !Number.isFinite(size) || size <= 0) return undefined;
  return size * factor;
};

const canonicalUnit = (unit: string): string | undefined => SIZE_UNITS.find((u) => u.toLowerCase() === unit.toLowerCase());

/** Bytes → MiB, rounded up to a whole MiB (a container limit below what was asked would be wrong). */
export const bytesToMiB = (bytes: number): number => Math.ceil(bytes / 2 ** 20 - 1e-9);

/** Bytes → GiB, rounded up to a whole GiB. */
export const bytesToGiB = (bytes: number): number => Math.ceil(bytes / 2 ** 30 - 1e-9);

/**
 * Parses a TOSCA scalar-unit.size such as `"512 MB"`, `"1GiB"`; returns bytes, or undefined
 * when the text is not a positive number followed by a known unit.
 */
export const parseScalarSize = (text: unknown): number | undefined => {
  if (typeof text !== 'string') return undefined;
  const m = /^\s*([0-9]+(?:\.[0-9]+)?)\s*([A-Za-z]+)\s*$/.exec(text);
  if (!m) return undefined;
  return sizeToBytes(Number(m[1]), m[2] ?? '');
};
