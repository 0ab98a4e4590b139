/** Tables of monitoring (VES agent configs, alarms, subscriptions). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface MonitoringTables {}
