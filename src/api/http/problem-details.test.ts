import { describe, expect, it } from 'vitest';
import { ERROR_CODE_LIST, ERROR_CODES, NotFoundError, RondoError, VIM_ERROR_KINDS, VimError } from '../../model/index.js';
import { mapError, problemBody } from './problem-details.js';

describe('mapError', () => {
  it('answers every code with the status and title of the table', () => {
    for (const code of ERROR_CODE_LIST) {
      const m = mapError(new RondoError(code, 'what happened'));
      expect([m.status, m.code], code).toEqual([ERROR_CODES[code].status, code]);
      expect(problemBody(m, '/x'), code).toMatchObject({ status: ERROR_CODES[code].status, title: ERROR_CODES[code].title, code, type: `urn:rondo:problem:${code}` });
    }
  });

  it('never answers a VIM error with 401 or 404, and names the VIM and its kind', () => {
    for (const kind of VIM_ERROR_KINDS) {
      const m = mapError(new VimError(kind, 'pop-7', 'the VIM said no', { cause: new Error('HTTP 401') }));
      expect([401, 404], kind).not.toContain(m.status);
      expect([502, 503, 504, 422], kind).toContain(m.status);
      expect(m, kind).toMatchObject({ code: `VIM_${kind}`, detail: 'pop-7: the VIM said no', extras: { vim: 'pop-7', vimKind: kind, vimDetail: 'the VIM said no' } });
    }
    expect(mapError(new VimError('AUTH', 'os1', 'Keystone refused the credentials')).status).toBe(502);
    expect(mapError(new VimError('NOT_FOUND', 'os1', 'image vnf/x not found')).status).toBe(502);
    expect(mapError(new VimError('CONNECTION', 'os1', 'ECONNREFUSED')).status).toBe(503);
    expect(mapError(new VimError('TIMEOUT', 'os1', 'no answer in 10 s')).status).toBe(504);
    expect(mapError(new VimError('QUOTA', 'os1', 'quota exceeded')).status).toBe(422);
    // A resource of Rondo that does not exist is still 404.
    expect(mapError(new NotFoundError('NS instance', 'n1')).status).toBe(404);
  });

  it('maps framework errors to table codes with the table status', () => {
    expect(mapError(Object.assign(new Error('too big'), { code: 'FST_ERR_CTP_BODY_TOO_LARGE', statusCode: 413 }))).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
    expect(mapError(Object.assign(new Error('bad json'), { code: 'FST_ERR_CTP_INVALID_JSON_BODY', statusCode: 400 }))).toMatchObject({ status: 400, code: 'INVALID_JSON' });
    expect(mapError(Object.assign(new Error('range'), { statusCode: 416 }))).toMatchObject({ status: 400, code: 'BAD_REQUEST' });
    expect(mapError(new Error('boom'))).toMatchObject({ status: 500, code: 'INTERNAL' });
  });
});
