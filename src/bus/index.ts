export { createEventBus } from './event-bus.js';
export type { BusMessage, EventBus, EventBusOptions } from './event-bus.js';
