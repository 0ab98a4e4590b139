import { checkSchema } from '../descriptors/schema-check.js';
import { readTangoNsd, readTangoVnfd } from '../descriptors/index.js';
import type { DescriptorRef, Nsd, Vnfd } from '../model/index.js';
import { asArray, asRecord, asText } from '../descriptors/issue-collector.js';
import type { PackageContext } from './package-context.js';
import { normalizePackagePath, verifyChecksum } from './package-context.js';
import { napdSchema, sonataManifestSchema } from './napd-schema.js';

/** Content types that mark a package entry as an NSD or a VNFD (5GTANGO and SONATA). */
export const NSD_CONTENT_TYPES = ['application/vnd.5gtango.nsd', 'application/sonata.service_descriptor'] as const;
export const VNFD_CONTENT_TYPES = ['application/vnd.5gtango.vnfd', 'application/sonata.function_descriptor'] as const;

/** What a format reader found; the caller adds the cross-descriptor checks. */
export interface PackageContent {
  readonly ref: DescriptorRef;
  readonly description?: string;
  readonly nsds: Array<Nsd & { readonly file: string }>;
  readonly vnfds: Array<Vnfd & { readonly file: string }>;
  readonly metadata: unknown;
}

/**
 * Reads a 5GTANGO package (NAPD with SHA-256 `package_content`) or an older SONATA one
 * (`META-INF/MANIFEST.MF` with `name`/`md5`): verifies every declared checksum, then reads
 * each NSD/VNFD by its content type. Issues go to `ctx.issues`.
 */
export const readTangoPackage = async (ctx: PackageContext, format: 'tango' | 'sonata', metaPath: string): Promise<PackageContent | undefined> => {
  const meta = await ctx.readYaml(metaPath);
  if (!meta.ok) return void ctx.issues.push(...meta.error);
  const schemaIssues = checkSchema(format === 'tango' ? napdSchema : sonataManifestSchema, meta.value, metaPath);
  if (schemaIssues.length > 0) return void ctx.issues.push(...schemaIssues);
  const doc = asRecord(meta.value);
  const out: PackageContent = {
    ref: { vendor: String(doc['vendor']), name: String(doc['name']), version: asText(doc['version']) ?? '' },
    ...(typeof doc['description'] === 'string' ? { description: doc['description'].trim() } : {}),
    nsds: [],
    vnfds: [],
    metadata: meta.value,
  };
  const items = asArray(doc['package_content']).map(asRecord);
  for (const [i, item] of items.entries()) {
    const where = { file: metaPath, path: `/package_content/${i}` };
    const raw = String(item[format === 'tango' ? 'source' : 'name']);
    const path = normalizePackagePath(raw);
    const contentType = String(item['content-type']);
    if (path === undefined) {
      ctx.issues.push({ ...where, path: `${where.path}/${format === 'tango' ? 'source' : 'name'}`, message: `"${raw}" points outside the package` });
      continue;
    }
    if (!ctx.digests.has(path)) {
      ctx.issues.push({ ...where, path: `${where.path}/${format === 'tango' ? 'source' : 'name'}`, message: `${path} is listed in package_content but not in the package` });
      continue;
    }
    const file = ctx.files.find((f) => f.path === path);
    if (file) ctx.files[ctx.files.indexOf(file)] = { ...file, contentType };
    const bad =
      format === 'tango'
        ? await verifyChecksum(ctx, path, asText(item['algorithm']), asText(item['hash']), { ...where, path: `${where.path}/hash` })
        : item['md5'] === undefined
          ? undefined
          : await verifyChecksum(ctx, path, 'MD5', asText(item['md5']), { ...where, path: `${where.path}/md5` });
    // son-validate reports a wrong MANIFEST.MF md5 as a warning (evt_pd_itg_invalid_md5 in its
    // default eventcfg.yml) and SONATA's platform on-boards the package; a file that is
    // missing stays an error. 5GTANGO's NAPD SHA-256 is checked strictly, as tng-sdk-package does.
    if (bad && format === 'sonata' && ctx.digests.has(path)) ctx.warnings.push(bad);
    else if (bad) ctx.issues.push(bad);
    const isNsd = (NSD_CONTENT_TYPES as readonly string[]).includes(contentType);
    const isVnfd = (VNFD_CONTENT_TYPES as readonly string[]).includes(contentType);
    if (!isNsd && !isVnfd) continue;
    const parsed = await ctx.readYaml(path);
    if (!parsed.ok) {
      ctx.issues.push(...parsed.error);
      continue;
    }
    const descriptorFormat = format === 'tango' ? 'tango' : 'sonata';
    if (isNsd) {
      const r = readTangoNsd(parsed.value, path, descriptorFormat, ctx.warnings);
      if (r.ok) out.nsds.push({ ...r.value, file: path });
      else ctx.issues.push(...r.error);
    } else {
      const r = readTangoVnfd(parsed.value, path, descriptorFormat, ctx.warnings);
      if (r.ok) out.vnfds.push({ ...r.value, file: path });
      else ctx.issues.push(...r.error);
    }
  }
  return out;
};
