import type { UploadedFile } from '../../catalog/index.js';

/** The shape of error bodies on a route: RFC 7807, or 5GTANGO's `/packages` fields on top. */
export type ErrorShape = 'problem' | 'gatekeeper';

declare module 'fastify' {
  interface FastifyContextConfig {
    errorShape?: ErrorShape;
    /**
     * Attributes a list's `fields`/`exclude_fields` may name beyond those its response
     * schema declares (for items whose schema lets more through, like NsInstance).
     */
    selectorAttributes?: readonly string[];
  }
  interface FastifyRequest {
    /** Size and hashes of an upload once received (5GTANGO answers report them). */
    uploadInfo: UploadedFile | null;
  }
}
