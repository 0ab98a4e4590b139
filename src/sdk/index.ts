// The plugin SDK: write an SSM, FSM or MANO plugin for Rondo in a few lines (docs/plugins.md).
export { connectPlugin } from './plugin-sdk.js';
export type { ConnectPluginOptions, OnOptions, PluginBus, PluginHandler, RondoPlugin, SdkReplies, SdkTopics } from './plugin-sdk.js';
export { connectManager, managerEnv } from './manager.js';
export type { ManagerConnection, ManagerEnv } from './manager.js';
export { MANO_TOPICS, NS_MANAGER_TOPICS, PLACEMENT_TOPIC, PLUGIN_TOPICS, pluginLifecycleTopic } from '../plugins/index.js';
export type {
  ExecReply, ExecRequest, FsmAction, FunctionLifecycleEvent, FunctionManagerRequest, ManagerAck, PlacementReply, PlacementRequest, PluginLifecycleMessage, PluginRegisterReply,
  PluginStatusEvent, ServiceConfigureRequest, ServiceLifecycleEvent,
} from '../plugins/index.js';
