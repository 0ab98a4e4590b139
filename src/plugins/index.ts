export {
  MANO_TOPICS, PLACEMENT_TOPIC, PLUGIN_LIFECYCLE_EVENTS, PLUGIN_STATES, PLUGIN_STATUS_CHANGES, PLUGIN_TOPICS, SERVICE_EVENT_OPS, pluginLifecycleTopic,
} from './plugin-topics.js';
export type {
  FunctionLifecycleEvent, ManoTopic, PlacementReply, PlacementRequest, PluginDeregisterReply, PluginDeregisterRequest, PluginHeartbeat, PluginLifecycleEventKind, PluginLifecycleMessage,
  PluginLifecycleTopic, PluginRegisterReply, PluginRegisterRequest, PluginReplies, PluginState, PluginStatusChange, PluginStatusEvent, PluginTopics,
  ServiceLifecycleEvent,
} from './plugin-topics.js';
export type { PluginRecord, PluginRepository } from './plugin-registry.js';
export { PLUGIN_MANAGER_GROUPS, PluginManager, checkRegistration } from './plugin-manager.js';
export type { PluginManagerOptions } from './plugin-manager.js';
export { LIFECYCLE_EVENTS_GROUP, manoEventsOf, publishLifecycleEvents, runTransition } from './lifecycle-event-publisher.js';
export type { LifecycleEventPublisherDeps, ManoEvent } from './lifecycle-event-publisher.js';
export { FSM_ACTIONS, NS_MANAGER_TOPICS, managerBrokerNames, managerPermissions, nsTopicPrefix } from './manager-topics.js';
export type { ExecReply, ExecRequest, FsmAction, FunctionManagerRequest, ManagerAck, ManagerBrokerNames, ManagerPermissions, ManagerWarning, ServiceActionReply, ServiceActionRequest, ServiceAlarmEvent, ServiceConfigureRequest } from './manager-topics.js';
export { createRabbitAdmin, managementUrlOf, vhostOf } from './rabbitmq-admin.js';
export type { RabbitAdmin, RabbitAdminOptions } from './rabbitmq-admin.js';
