/**
 * Log fields pino must never print in clear: passwords, tokens, API keys, secrets and
 * credentials of VIMs, VES collectors and callbacks, and the headers that carry them.
 * Pass as `pino({ redact: { paths: REDACT_PATHS, censor: REDACT_CENSOR } })`.
 * pino's `*` matches one level, so the common nestings are listed explicitly.
 */
export const REDACT_PATHS: readonly string[] = [
  ...['password', 'secret', 'token', 'access_token', 'api_key', 'apiKey', 'authorization', 'credentials', 'passwordHash', 'password_hash', 'secret_hash'].flatMap((k) => [
    k,
    `*.${k}`,
    `*.*.${k}`,
  ]),
  'headers.authorization',
  'headers.cookie',
  'headers["x-api-key"]',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  'vesagent_config.ves_subscription.password',
  '*.vesagent_config.ves_subscription.password',
  'authentication.paramsBasic.password',
  '*.authentication.paramsBasic.password',
  'authentication.paramsOauth2ClientCredentials.clientPassword',
  '*.authentication.paramsOauth2ClientCredentials.clientPassword',
  'config.password',
  'config.auth',
  '*.config.password',
  '*.config.auth',
];

/** What a redacted value reads as in the log. */
export const REDACT_CENSOR = '[redacted]';
