/** What the API answers for one error code. */
export interface ErrorCodeSpec<S extends number = number> {
  /** HTTP status of the ProblemDetails answer (always 4xx or 5xx). */
  readonly status: S;
  /** Whether sending the same request again, unchanged, may succeed. */
  readonly retryable: boolean;
  /** RFC 7807 `title`: a short summary of the problem type, the same for every occurrence. */
  readonly title: string;
}

const spec = <S extends number>(status: S, title: string, retryable = false): ErrorCodeSpec<S> => ({ status, retryable, title });

/**
 * Every error code Rondo answers, with its HTTP status, whether a retry may help, and a
 * title. `RondoError` takes its status and default `retryable` from here, so a code
 * means the same thing on every route; the OpenAPI document lists this table
 * (`components.schemas.ErrorCode`, `x-error-codes`). Add a code here before using it.
 */
export const ERROR_CODES = {
  // Malformed requests.
  BAD_REQUEST: spec(400, 'Bad request'),
  VALIDATION_FAILED: spec(400, 'Request validation failed'),
  INVALID_JSON: spec(400, 'Body is not valid JSON'),
  EMPTY_BODY: spec(400, 'Request body is empty'),
  BAD_CONTENT_TYPE: spec(400, 'Wrong content type for this body'),
  UPLOAD_ABORTED: spec(400, 'Upload interrupted'),
  INVALID_FILTER: spec(400, 'Invalid SOL013 filter'),
  INVALID_SELECTOR: spec(400, 'Invalid SOL013 attribute selector'),
  INVALID_MARKER: spec(400, 'Unknown or expired paging marker'),
  NOT_ACCEPTABLE: spec(406, 'No acceptable representation'),
  API_VERSION_UNSUPPORTED: spec(406, 'API version not supported'),
  METHOD_NOT_ALLOWED: spec(405, 'Method not allowed on this resource'),
  PRECONDITION_FAILED: spec(412, 'Resource changed since it was read'),
  RANGE_NOT_SATISFIABLE: spec(416, 'Range not satisfiable'),
  PAYLOAD_TOO_LARGE: spec(413, 'Upload too large'),
  UNSUPPORTED_MEDIA_TYPE: spec(415, 'Unsupported media type'),
  RATE_LIMITED: spec(429, 'Too many requests', true),

  // Resources.
  NOT_FOUND: spec(404, 'Resource not found'),
  ROUTE_NOT_FOUND: spec(404, 'No such route'),
  CONFLICT: spec(409, 'Conflict with the resource state'),
  STATE_CONFLICT: spec(409, 'Resource is in the wrong state'),

  // Authentication and authorisation (the caller's own credentials).
  AUTH_REQUIRED: spec(401, 'Authentication required'),
  AUTH_INVALID: spec(401, 'Credentials invalid, expired or revoked'),
  AUTH_MALFORMED: spec(400, 'Malformed Authorization header'),
  POLICY_DENIED: spec(403, 'Not allowed by the policy'),
  APIKEY_NO_USER: spec(400, 'API key needs a user'),
  PASSWORD_WEAK: spec(400, 'Password does not meet the rules'),
  ROLE_UNKNOWN: spec(400, 'Unknown role'),
  TENANT_INVALID: spec(400, 'Invalid tenant name'),
  USERNAME_INVALID: spec(400, 'Invalid username'),
  USER_SELF_DELETE: spec(400, 'Cannot delete yourself'),
  USER_EXISTS: spec(409, 'User exists'),
  SECRET_KEY_INVALID: spec(400, 'Invalid secret key'),

  // Packages and descriptors.
  PACKAGE_INVALID: spec(422, 'Package or descriptor invalid'),
  HOT_UNSUPPORTED: spec(422, 'Construct not translatable to Heat'),
  HOT_INPUT_INVALID: spec(422, 'Not a readable SOL001 VNFD'),
  PACKAGE_EXISTS: spec(409, 'Package already on-boarded'),
  NSD_EXISTS: spec(409, 'NSD already on-boarded'),
  NSD_ID_AMBIGUOUS: spec(409, 'Several usable NSDs carry this nsdId'),
  VNFD_EXISTS: spec(409, 'VNFD already on-boarded'),
  VNFD_REFERENCED: spec(409, 'VNFD used by an NSD'),

  // VIM accounts (PoPs).
  VIM_ACCOUNT_INVALID: spec(400, 'Invalid VIM account'),
  VIM_ACCOUNT_EXISTS: spec(409, 'VIM account exists'),
  VIM_ACCOUNT_IN_USE: spec(409, 'VIM account in use'),

  // Placement and planning: the NS cannot be planned as asked; the request is well-formed.
  PLACEMENT_NO_POPS: spec(409, 'No PoP registered'),
  PLACEMENT_NO_CAPACITY: spec(409, 'No PoP has the capacity'),
  PLACEMENT_POP_DOWN: spec(409, 'Pinned PoP does not answer'),
  PLACEMENT_UNKNOWN_MEMBER: spec(400, 'Pin names an unknown member'),
  PLACEMENT_UNKNOWN_POP: spec(400, 'Pin names an unknown PoP'),
  PLACEMENT_UNKNOWN_STRATEGY: spec(400, 'Unknown placement strategy'),
  PLAN_BAD_FORWARDING_PATH: spec(409, 'Forwarding path cannot be realised'),
  PLAN_CHAIN_CONFLICT: spec(409, 'Forwarding paths conflict'),
  PLAN_CHAIN_UNSUPPORTED: spec(409, 'Service chain through a Heat VNF'),
  PLAN_CROSS_VIM_LINK: spec(409, 'Link across VIMs'),
  PLAN_HOT_MISMATCH: spec(409, 'NS link on an internal VNF CP'),
  PLAN_HOT_UNAVAILABLE: spec(409, 'No Heat template for the VNF'),
  PLAN_IMAGE_UNMAPPED: spec(422, 'VM image without a container image on a Docker PoP'),
  PLAN_MISSING_VNFD: spec(409, 'VNFD of a member not on-boarded'),
  PLAN_NAME_CLASH: spec(409, 'Two members with one compute name'),
  PLAN_NEEDS_KUBERNETES: spec(409, 'Workload needs a Kubernetes PoP'),
  PLAN_NO_UNDERLAY: spec(409, 'Inter-PoP link without underlay connectivity'),
  PLAN_NOT_STORED: spec(409, 'Operation without a stored plan'),
  PLAN_UNBOUND_CP: spec(409, 'External CP not on an NS link'),
  PLAN_UNKNOWN_CP: spec(409, 'Unknown connection point'),
  PLAN_UNPLACED: spec(409, 'Member not placed'),
  IPAM_CONTENDED: spec(409, 'Address allocation contended'),
  IPAM_POOL_EXHAUSTED: spec(409, 'Address pool exhausted'),
  IPAM_LINK_TOO_LARGE: spec(409, 'Link has more endpoints than its subnet'),

  // NS instances and LCM operations.
  NS_STATE_CONFLICT: spec(409, 'NS instance in the wrong state'),
  NS_STATE_CHANGED: spec(409, 'NS instance changed meanwhile'),
  NS_OPERATION_IN_PROGRESS: spec(409, 'NS operation in progress'),
  /** The 5GTANGO API's answer for an operation that ended without an error of its own. */
  NS_INSTANTIATION_FAILED: spec(500, 'Instantiation failed'),
  /** A day-2 request names a VNF instance the NS does not hold (SOL005: 422, the request is well-formed). */
  VNF_INSTANCE_UNKNOWN: spec(422, 'Unknown VNF instance of the NS'),
  /** OPERATE_VNF to the state the VNF is already in. */
  VNF_STATE_CONFLICT: spec(409, 'VNF instance already in the requested state'),
  /** An UpdateNsRequest `updateType` Rondo does not carry out (only OPERATE_VNF is). */
  NS_UPDATE_NOT_SUPPORTED: spec(422, 'Update type not supported'),
  /** REMOVE_VNF of a member the NSD requires (its vnf profile's minimum is not 0) or that a forwarding path crosses. */
  VNF_NOT_REMOVABLE: spec(422, 'VNF instance cannot be removed'),
  /** ADD_VNF / INSTANTIATE_VNF naming no NSD member the NS could run again (unknown vnfProfileId or vnfdId). */
  VNF_PROFILE_UNKNOWN: spec(422, 'Unknown VNF profile of the NSD'),
  /** An InstantiateNsRequest's `nsFlavourId` names no deployment flavour Rondo can instantiate from the NSD. */
  NS_FLAVOUR_UNKNOWN: spec(422, 'Unknown NS deployment flavour'),
  /** A HealNsRequest asks for healing Rondo does not do (a degree, a heal script). */
  HEAL_NOT_SUPPORTED: spec(422, 'Healing not supported as asked'),
  /** A policy request names a policy the NS instance does not have (`/admin/v1/ns_instances/{id}/policies`). */
  POLICY_UNKNOWN: spec(422, 'Unknown policy of the NS instance'),
  SCALE_NOT_SUPPORTED: spec(422, 'Scaling not supported as asked'),
  SCALE_ASPECT_UNKNOWN: spec(422, 'Unknown scaling aspect'),
  SCALE_LIMIT_EXCEEDED: spec(422, 'Scaling past the aspect limit'),
  SCALE_NO_ADDRESS: spec(422, 'No free address for a new VNFC instance'),
  OP_ILLEGAL_STATE: spec(409, 'Operation in the wrong state'),
  OP_STATE_CHANGED: spec(409, 'Operation changed meanwhile'),
  OP_ROLLBACK_NOT_SUPPORTED: spec(409, 'Rollback not supported for this operation'),
  OP_CANCELLED: spec(409, 'Operation cancelled'),
  OP_NOT_SUPPORTED: spec(501, 'Operation type not supported'),
  OP_DEADLINE_EXCEEDED: spec(504, 'Operation deadline passed'),
  OP_WAIT_TIMEOUT: spec(504, 'Operation did not settle in time'),
  OP_ATTEMPTS_EXHAUSTED: spec(500, 'Operation claimed too often'),
  OP_ABORTED: spec(503, 'Operation interrupted'),
  LEASE_LOST: spec(409, 'Worker lease lost'),
  WORKER_STOPPING: spec(503, 'Worker stopping'),
  /** An operation's rollback failed; its ProblemDetails keeps the status of the cause. */
  ROLLBACK_FAILED: spec(500, 'Rollback failed'),
  STEP_COMMAND_FAILED: spec(502, 'Command inside a VNF failed'),

  // VIM errors, as the API answers them. The VIM is an upstream server of Rondo, so its
  // failures are gateway errors, never the VIM's own status: a VIM's 401 would tell the
  // client to log in again (its token is fine), a VIM's 404 would say the NS does not exist.
  /** The VIM refused the account's stored credentials: an operator fixes the VIM account. */
  VIM_AUTH: spec(502, 'VIM refused the account credentials'),
  /**
   * The TLS handshake with the VIM failed over a certificate (extras `tlsProblem`:
   * EXPIRED, UNKNOWN_CA, HOSTNAME_MISMATCH, …, and `tlsSide`): an operator fixes the
   * account's certificates or the VIM's.
   */
  VIM_TLS: spec(502, 'VIM certificate problem'),
  /** The VIM answered something Rondo cannot use. */
  VIM_UNEXPECTED_RESPONSE: spec(502, 'Unexpected VIM response'),
  /** A VIM resource (image, flavor, network, stack) is missing — not the resource the client named. */
  VIM_NOT_FOUND: spec(502, 'VIM resource not found'),
  /** The VIM cannot be reached now; it may come back. */
  VIM_CONNECTION: spec(503, 'VIM unreachable', true),
  /** The VIM did not answer in time. */
  VIM_TIMEOUT: spec(504, 'VIM timed out', true),
  /** A network's subnet overlaps one the VIM already has, made by someone else; the lifecycle plans again around it. */
  VIM_SUBNET_IN_USE: spec(422, 'Subnet already in use on the VIM'),
  /** The VIM works but this request cannot be satisfied there until its quota changes. */
  VIM_QUOTA: spec(422, 'VIM quota exceeded'),
  /** The VIM (type or version) cannot do what the request needs. */
  VIM_NOT_SUPPORTED: spec(422, 'Not supported by the VIM'),
  /** The VIM refuses because of its own state (name clash, resource in use). */
  VIM_CONFLICT: spec(422, 'VIM refused: conflicting VIM state'),
  /** A compute of one PoP was asked to join a network of another PoP; PoPs are separate sites. */
  VIM_FOREIGN_POP: spec(422, 'Network belongs to another PoP'),

  // Monitoring, notifications, outbound calls.
  VESAGENT_CONFIG_INVALID: spec(400, 'Invalid VES agent configuration'),
  VESAGENT_CONFIG_MISSING: spec(400, 'VES agent configuration missing'),
  ALARM_ALREADY_ACKNOWLEDGED: spec(409, 'Alarm already acknowledged'),
  SUBSCRIPTION_INVALID: spec(400, 'Invalid subscription'),
  SUBSCRIPTION_AUTH_INVALID: spec(400, 'Invalid subscription authentication'),
  SUBSCRIPTION_FILTER_INVALID: spec(400, 'Invalid subscription filter'),
  CALLBACK_UNREACHABLE: spec(422, 'Callback URI did not answer the test'),
  PM_JOB_INVALID: spec(400, 'Invalid PM job'),
  PM_THRESHOLD_INVALID: spec(400, 'Invalid threshold'),
  PM_OBJECT_NOT_FOUND: spec(422, 'Measured object not found'),
  OUTBOUND_ALLOW_INVALID: spec(400, 'Invalid outbound allow-list entry'),
  OUTBOUND_URL_INVALID: spec(400, 'Invalid outbound URL'),
  OUTBOUND_NOT_ALLOWED: spec(400, 'Outbound host not allowed'),
  OUTBOUND_FAILED: spec(502, 'Outbound call failed', true),
  OUTBOUND_CLOSED: spec(503, 'Outbound pool closed', true),
  PACKAGE_URI_INVALID: spec(400, 'Invalid package upload from URI'),
  PACKAGE_URI_FAILED: spec(502, 'Package URI did not deliver the package', true),

  // The server itself.
  INTERNAL: spec(500, 'Internal error'),
  /** A reconciler sweep failed with something that is not a Rondo error. */
  UNEXPECTED: spec(500, 'Unexpected error'),
  CONFIG_INVALID: spec(500, 'Invalid configuration'),
  POLICY_INVALID: spec(500, 'Invalid policy'),
  STORE_UNAVAILABLE: spec(503, 'Database unavailable', true),
  /** The event bus (RabbitMQ) does not answer or did not confirm a publication in time. */
  BUS_UNAVAILABLE: spec(503, 'Event bus unavailable', true),
  /** A bus topic or group name that cannot be used, or a group joined with another ordering. */
  BUS_INVALID: spec(500, 'Invalid event bus use'),
  /** A bus request whose topic no responder group serves. */
  BUS_NO_RESPONDER: spec(503, 'No responder for this request', true),
  /** A bus request that got no answer within its timeout. */
  BUS_REQUEST_TIMEOUT: spec(504, 'Bus request timed out', true),
  /** A bus request whose responder failed with an error that is not a Rondo error code. */
  BUS_REQUEST_FAILED: spec(502, 'Bus request failed'),
  /** No registered plugin has this id. */
  PLUGIN_NOT_FOUND: spec(404, 'Plugin not found'),
  /** A plugin registration or message that breaks the plugin protocol (docs/plugins.md). */
  PLUGIN_INVALID: spec(400, 'Invalid plugin message'),
  /** A specific manager (SSM/FSM) named by the package could not be started, or did not register in time. */
  MANAGER_UNAVAILABLE: spec(503, 'Specific manager unavailable', true),
  /** A specific manager failed, timed out or answered badly at a lifecycle point where Rondo cannot do without it. */
  MANAGER_FAILED: spec(502, 'Specific manager failed'),
  /** A manager asked for something outside its own NS (exec in another NS's VNF). */
  MANAGER_FORBIDDEN: spec(403, 'Outside the manager\'s NS'),
  RECONCILER_DISABLED: spec(503, 'No reconciler on this server'),
  DASHBOARD_NOT_BUILT: spec(503, 'Dashboard not built'),
} as const satisfies Record<string, ErrorCodeSpec>;

/** A code of {@link ERROR_CODES}. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** The codes whose status is `S`, e.g. `ErrorCodeWithStatus<409>` for a ConflictError. */
export type ErrorCodeWithStatus<S extends number> = { [K in ErrorCode]: (typeof ERROR_CODES)[K]['status'] extends S ? K : never }[ErrorCode];

/** Every code, in table order. */
export const ERROR_CODE_LIST = Object.keys(ERROR_CODES) as ErrorCode[];

/** Whether `code` is in the table (e.g. a code read back from a stored ProblemDetails). */
export const isErrorCode = (code: unknown): code is ErrorCode => typeof code === 'string' && Object.hasOwn(ERROR_CODES, code);
