import type { ValidationIssue } from '../../model/index.js';
import { asArray, isRecord } from '../issue-collector.js';
import { translateImNsd, translateImVnfd } from './osm-im-translate.js';

/**
 * The descriptor forms Rondo reads as SOL006 (YAML or JSON, the same document either way):
 *
 * | form | VNFD | NSD |
 * |---|---|---|
 * | SOL006, as OSM (Release 9 and later) writes it | `vnfd: {…}` | `nsd: {nsd: [{…}]}` |
 * | SOL006, YANG JSON with module names (RFC 7951) | `etsi-nfv-vnfd:vnfd: {…}` | `etsi-nfv-nsd:nsd: {nsd: [{…}]}` |
 * | OSM IM before SOL006 (Release 8 and earlier) | `vnfd:vnfd-catalog` or `vnfd-catalog`, with `vnfd` or `vnfd:vnfd` | `nsd:nsd-catalog` or `nsd-catalog`, with `nsd` or `nsd:nsd` |
 *
 * The older OSM IM is converted to SOL006 first, by the rules of OSM's own converter
 * (osm_im `im_translation`: connection point `x` becomes ext-cpd `x-ext`, interface `i`
 * becomes int-cpd `i-int`, `vm-flavor` becomes compute and storage descriptors, ...), and
 * then read as SOL006. One descriptor per document: a catalog or an `nsd` list with more
 * than one entry is refused, as OSM refuses it. Not accepted: the `nfv` container of
 * etsi-nfv-descriptors holding several descriptors, and XML.
 */
export interface Sol006Document {
  readonly kind: 'vnfd' | 'nsd';
  /** `sol006` as written, or `osm-im` converted. */
  readonly form: 'sol006' | 'osm-im';
  /** The descriptor itself: the content of `vnfd`, or the one entry of `nsd.nsd`. */
  readonly body: Record<string, unknown>;
  /** JSON pointer of `body` in the document as written (`/vnfd`, `/nsd/nsd/0`, ...). */
  readonly base: string;
  /** For `osm-im`: where each SOL006 path came from, for issues ({@link legacyPath}). */
  readonly origin?: (sol006Path: string) => string;
}

const VNFD_KEYS = ['vnfd', 'etsi-nfv-vnfd:vnfd'];
const NSD_KEYS = ['nsd', 'etsi-nfv-nsd:nsd'];
const IM_VNFD_KEYS = ['vnfd:vnfd-catalog', 'vnfd-catalog'];
const IM_NSD_KEYS = ['nsd:nsd-catalog', 'nsd-catalog'];

const escape = (k: string): string => k.replace(/~/g, '~0').replace(/\//g, '~1');

/** True when the parsed document is in one of the forms above (whether or not it is valid). */
export const isSol006Document = (doc: unknown): boolean =>
  isRecord(doc) && [...VNFD_KEYS, ...NSD_KEYS, ...IM_VNFD_KEYS, ...IM_NSD_KEYS].some((k) => k in doc);

/**
 * Finds the descriptor in a parsed SOL006 / OSM IM document, converting the older form.
 * Returns issues (naming `file` and the field) when the envelope is not one of the forms.
 */
export const openSol006Document = (doc: unknown, file: string): { ok: true; value: Sol006Document } | { ok: false; error: ValidationIssue[] } => {
  const fail = (path: string, message: string) => ({ ok: false as const, error: [{ file, path, message }] });
  if (!isRecord(doc)) return fail('', 'the descriptor is not a mapping; expected vnfd: or nsd: at the top');
  const vnfdKey = VNFD_KEYS.find((k) => k in doc);
  if (vnfdKey) {
    const body = doc[vnfdKey];
    // OSM also writes `vnfd: [ {…} ]` in some examples; one entry is the descriptor.
    if (Array.isArray(body)) {
      if (body.length !== 1 || !isRecord(body[0])) return fail(`/${escape(vnfdKey)}`, `${vnfdKey} must hold one VNFD; found a list of ${body.length}`);
      return { ok: true, value: { kind: 'vnfd', form: 'sol006', body: body[0], base: `/${escape(vnfdKey)}/0` } };
    }
    if (!isRecord(body)) return fail(`/${escape(vnfdKey)}`, `${vnfdKey} must be a mapping (the VNFD)`);
    return { ok: true, value: { kind: 'vnfd', form: 'sol006', body, base: `/${escape(vnfdKey)}` } };
  }
  const nsdKey = NSD_KEYS.find((k) => k in doc);
  if (nsdKey) {
    const outer = doc[nsdKey];
    const list = isRecord(outer) ? outer['nsd'] : outer;
    const base = isRecord(outer) ? `/${escape(nsdKey)}/nsd` : `/${escape(nsdKey)}`;
    if (!Array.isArray(list)) return fail(base, `${nsdKey} must hold a list nsd with one NSD (nsd: {nsd: [{id: …}]})`);
    if (list.length !== 1 || !isRecord(list[0])) return fail(base, `the nsd list must hold exactly one NSD; found ${list.length}`);
    return { ok: true, value: { kind: 'nsd', form: 'sol006', body: list[0], base: `${base}/0` } };
  }
  const imKey = [...IM_VNFD_KEYS, ...IM_NSD_KEYS].find((k) => k in doc);
  if (imKey) {
    const kind = IM_VNFD_KEYS.includes(imKey) ? 'vnfd' : 'nsd';
    const catalog = doc[imKey];
    const listKey = isRecord(catalog) ? [kind, `${kind}:${kind}`].find((k) => k in catalog) : undefined;
    const list = listKey && isRecord(catalog) ? asArray(catalog[listKey]) : [];
    const base = `/${escape(imKey)}/${escape(listKey ?? kind)}`;
    if (list.length !== 1 || !isRecord(list[0])) return fail(base, `${imKey} must hold exactly one ${kind} in its ${kind} list; found ${list.length}`);
    const im = list[0];
    const out = kind === 'vnfd' ? translateImVnfd(im, file, `${base}/0`) : translateImNsd(im, file, `${base}/0`);
    if (!out.ok) return out;
    return { ok: true, value: { kind, form: 'osm-im', body: out.value.body, base: kind === 'vnfd' ? '/vnfd' : '/nsd/nsd/0', origin: out.value.origin } };
  }
  return fail('', 'not a SOL006 descriptor: expected vnfd:, nsd:, vnfd:vnfd-catalog or nsd:nsd-catalog at the top');
};
