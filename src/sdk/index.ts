// The plugin SDK: write an SSM, FSM or MANO plugin for Rondo in a few lines (docs/plugins.md).
export { connectPlugin } from './plugin-sdk.js';
export type { ConnectPluginOptions, OnOptions, PluginBus, PluginHandler, RondoPlugin, SdkReplies, SdkTopics } from './plugin-sdk.js';
export { MANO_TOPICS, PLACEMENT_TOPIC, PLUGIN_TOPICS, pluginLifecycleTopic } from '../plugins/index.js';
export type {
  FunctionLifecycleEvent, PlacementReply, PlacementRequest, PluginLifecycleMessage, PluginRegisterReply, PluginStatusEvent, ServiceLifecycleEvent,
} from '../plugins/index.js';
