import { VimError } from '../../model/index.js';
import type { OpenStackApi } from './keystone-client.js';
import { pollUntil } from './openstack-poll.js';

/** The image fields the driver uses. */
export interface GlanceImage {
  readonly id: string;
  readonly name: string;
  readonly status: string;
  readonly checksum?: string | null;
  readonly os_hash_value?: string | null;
  readonly tags?: readonly string[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Finds an active image by id, exact name, or checksum (md5 `checksum` or `os_hash_value`). */
export async function findImage(api: OpenStackApi, ref: { idOrName?: string; checksum?: string }, signal?: AbortSignal): Promise<GlanceImage | undefined> {
  const s = signal ? { signal } : {};
  if (ref.idOrName !== undefined && UUID.test(ref.idOrName)) {
    try {
      const res = await api.call<GlanceImage>('image', { method: 'GET', path: `/v2/images/${ref.idOrName}`, what: `show image ${ref.idOrName}`, ...s });
      return res.body.status === 'active' ? res.body : undefined;
    } catch (e) {
      if (e instanceof VimError && e.kind === 'NOT_FOUND') return undefined;
      throw e;
    }
  }
  // Glance reads `name=in:a,b` and `name=eq:x` as operators: names with ':' or ',' are
  // matched here instead of by the server.
  const plain = ref.idOrName !== undefined && !/[:,"]/.test(ref.idOrName);
  const query = plain ? `?name=${encodeURIComponent(ref.idOrName as string)}&status=active` : '?status=active&limit=1000';
  const res = await api.call<{ images: GlanceImage[] }>('image', { method: 'GET', path: `/v2/images${query}`, what: 'list images', ...s });
  return res.body.images.find((i) => (ref.checksum === undefined ? i.name === ref.idOrName : i.checksum === ref.checksum || i.os_hash_value === ref.checksum));
}

/** Creates an image record and uploads its bytes, then waits until Glance marks it active. */
export async function createImage(
  api: OpenStackApi,
  spec: { name: string; diskFormat?: string; containerFormat?: string; tags?: readonly string[]; data: Uint8Array },
  signal?: AbortSignal,
): Promise<GlanceImage> {
  const s = signal ? { signal } : {};
  const created = await api.call<GlanceImage>('image', {
    method: 'POST',
    path: '/v2/images',
    what: `create image ${spec.name}`,
    body: { name: spec.name, disk_format: spec.diskFormat ?? 'raw', container_format: spec.containerFormat ?? 'bare', tags: spec.tags ?? [], visibility: 'private' },
    ...s,
  });
  const id = created.body.id;
  await api.call('image', { method: 'PUT', path: `/v2/images/${id}/file`, what: `upload image ${spec.name}`, body: spec.data, timeoutMs: 300_000, ...s });
  return pollUntil(api.vim, `image ${spec.name} becoming active`, async () => {
    const res = await api.call<GlanceImage>('image', { method: 'GET', path: `/v2/images/${id}`, what: `show image ${id}`, ...s });
    if (res.body.status === 'killed' || res.body.status === 'deleted') throw new VimError('UNEXPECTED_RESPONSE', api.vim, `image ${spec.name} upload ended ${res.body.status}`);
    return res.body.status === 'active' ? res.body : undefined;
  }, { deadlineMs: 120_000, ...s });
}

/** Deletes an image; a missing one is fine. */
export async function deleteImage(api: OpenStackApi, id: string, signal?: AbortSignal): Promise<void> {
  try {
    await api.call('image', { method: 'DELETE', path: `/v2/images/${id}`, what: `delete image ${id}`, ...(signal ? { signal } : {}) });
  } catch (e) {
    if (!(e instanceof VimError && e.kind === 'NOT_FOUND')) throw e;
  }
}

/** Images carrying every tag in `tags`. */
export async function listImagesByTag(api: OpenStackApi, tags: readonly string[], signal?: AbortSignal): Promise<GlanceImage[]> {
  const q = tags.map((t) => `tag=${encodeURIComponent(t)}`).join('&');
  const res = await api.call<{ images: GlanceImage[] }>('image', { method: 'GET', path: `/v2/images?${q}&limit=1000`, what: 'list images by tag', ...(signal ? { signal } : {}) });
  return res.body.images;
}
