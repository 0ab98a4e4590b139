/** One SOL005 API as SOL013 §9.3 names it. */
export interface Sol005Api {
  /** The API name of the URI (`nslcm`). */
  readonly name: string;
  /** `/{apiName}/{apiMajorVersion}` (SOL013 §4.1). */
  readonly uriPrefix: string;
  /** The full API version of SOL005 v2.6.1 this API implements (the `Version` header value). */
  readonly version: string;
}

/**
 * The SOL005 APIs Rondo serves and their API versions. SOL013 §9.1: the major version
 * of `version` is the one in the URI, so every `/…/v1` API is a 1.x version (the
 * versions of SOL005 v2.6.1; SOL005 v3.x moved some of them to /v2 with 2.x versions).
 */
export const SOL005_APIS: readonly Sol005Api[] = [
  { name: 'nsd', uriPrefix: '/nsd/v1', version: '1.3.0' },
  { name: 'vnfpkgm', uriPrefix: '/vnfpkgm/v1', version: '1.3.0' },
  { name: 'nslcm', uriPrefix: '/nslcm/v1', version: '1.3.0' },
  { name: 'nsfm', uriPrefix: '/nsfm/v1', version: '1.2.0' },
  { name: 'nspm', uriPrefix: '/nspm/v1', version: '1.2.0' },
];

/** The SOL005 API a request URL or route pattern belongs to (`/nsd/api_versions` too), if any. */
export function sol005ApiOf(url: string): Sol005Api | undefined {
  const name = url.split('/')[1];
  return SOL005_APIS.find((a) => a.name === name);
}
