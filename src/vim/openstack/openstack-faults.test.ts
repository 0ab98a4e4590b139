import { describe, expect, it } from 'vitest';
import { rondoFlavorName } from '../../descriptors/etsi/hot/index.js';
import { VimError } from '../../model/index.js';
import { flavorName } from './openstack-computes.js';
import { OpenStackFault, faultKind, faultMessage, faultToVimError } from './openstack-faults.js';
import { hasLabels, labelsToTags, tagsToLabels } from './openstack-labels.js';

describe('OpenStack fault mapping', () => {
  it.each([
    [401, '{"error": {"code": 401, "message": "The request you have made requires authentication.", "title": "Unauthorized"}}', 'AUTH'],
    [403, '{"forbidden": {"code": 403, "message": "Policy doesn\'t allow os_compute_api:os-flavor-manage:create to be performed."}}', 'AUTH'],
    [403, '{"forbidden": {"code": 403, "message": "Quota exceeded for instances: Requested 1, but already used 0 of 0 instances"}}', 'QUOTA'],
    [409, '{"NeutronError": {"type": "OverQuota", "message": "Quota exceeded for resources: [\'network\'].", "detail": ""}}', 'QUOTA'],
    [413, '{"overLimit": {"code": 413, "message": "Maximum number of ports exceeded"}}', 'QUOTA'],
    [404, '{"itemNotFound": {"code": 404, "message": "Image abc could not be found."}}', 'NOT_FOUND'],
    [409, '{"NeutronError": {"type": "IpAddressAlreadyAllocated", "message": "IP address 10.0.0.5 already allocated in subnet x"}}', 'CONFLICT'],
    [400, '{"badRequest": {"code": 400, "message": "Attach volume is not supported for this instance."}}', 'NOT_SUPPORTED'],
    [400, '{"badRequest": {"code": 400, "message": "Invalid input for field/attribute name."}}', 'UNEXPECTED_RESPONSE'],
    [500, '<html><body><h1>500 Internal Server Error</h1></body></html>', 'UNEXPECTED_RESPONSE'],
    [503, 'Service Unavailable', 'CONNECTION'],
  ] as const)('%i %s → %s', (status, body, kind) => {
    expect(faultKind(status, faultMessage(body))).toBe(kind);
    const e = faultToVimError('os1', 'do it', new OpenStackFault(status, 'GET', 'http://x/y', body));
    expect(e).toBeInstanceOf(VimError);
    expect(e.kind).toBe(kind);
    expect(e.cause).toBeInstanceOf(OpenStackFault);
    expect(e.code).toBe(`VIM_${kind}`);
  });

  it('digs the message out of nested service bodies and strips HTML', () => {
    expect(faultMessage('{"NeutronError": {"message": "Network x could not be found."}}')).toBe('Network x could not be found.');
    expect(faultMessage('<html><h1>404 Not Found</h1> The resource could not be found.</html>')).toBe('404 Not Found The resource could not be found.');
  });
});

describe('labels as OpenStack tags', () => {
  it('round-trips labels, marks Rondo resources and skips labels that cannot be tags', () => {
    const labels = { 'rondo.ns': 'abc', 'rondo.step': 'net-1', 'odd': 'a,b', 'path': 'x/y' };
    const tags = labelsToTags(labels);
    expect(tags).toEqual(['rondo', 'rondo.ns=abc', 'rondo.step=net-1']);
    expect(tagsToLabels(tags)).toEqual({ 'rondo.ns': 'abc', 'rondo.step': 'net-1' });
    expect(hasLabels(labels, { 'rondo.ns': 'abc' })).toBe(true);
    expect(hasLabels(labels, { 'rondo.ns': 'abd' })).toBe(false);
  });

  it('names flavors the same way as the Heat translator', () => {
    expect(flavorName(2, 2048, 20)).toBe(rondoFlavorName({ vcpus: 2, ramMiB: 2048, diskGiB: 20 }));
    expect(flavorName(1, 512, 1)).toBe('rondo-c1-m512-d1');
  });
});
