export * from './result.js';
export * from './errors.js';
export * from './error-codes.js';
export * from './descriptors.js';
export * from './records.js';
export * from './clock.js';
