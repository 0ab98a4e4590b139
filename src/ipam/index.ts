export { IPAM_POOLS, POOL_DEFINITIONS, subnetCount, subnetAt, hostsPerSubnet, poolForLink, gatewayOf, hostAddresses, prefixOf, inSubnet, overlappedIndexes } from './ipam-pools.js';
export type { IpamPool, PoolDefinition } from './ipam-pools.js';
export { mergeIndexes, pickFreeIndexes } from './subnet-allocator.js';
export type { AllocateOptions, SubnetAllocation, SubnetAllocator, SubnetRequest } from './subnet-allocator.js';
export { addressLink } from './link-addressing.js';
export type { LinkAddressing } from './link-addressing.js';
export { parseIpv4, formatIpv4, parseCidr, formatCidr } from './ipv4-address.js';
export type { Cidr } from './ipv4-address.js';
export { freeHostAddresses, splitSubnet, subnetOfAddress } from './free-addresses.js';
