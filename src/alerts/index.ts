/** The alerting public surface: rules, engine, notifier, silences, channels, state stores, interop. */
export type { Alert, AlertStatus, Notification } from "./alert.js";
export { registerAlertMetrics } from "./alert-metrics.js";
export type { AlertmanagerChannelOptions } from "./channels/alertmanager-channel.js";
export {
  alertmanagerBody,
  alertmanagerRoute,
  createAlertmanagerChannel,
} from "./channels/alertmanager-channel.js";
export { createCallbackChannel } from "./channels/callback-channel.js";
export type { AlertChannel, SendContext } from "./channels/channel.js";
export type { EmailChannelOptions } from "./channels/email-channel.js";
export { createEmailChannel, emailMessage } from "./channels/email-channel.js";
export type { ChannelConfig } from "./channels/from-config.js";
export { channelFromConfig } from "./channels/from-config.js";
export type { LogChannelOptions } from "./channels/log-channel.js";
export { createLogChannel } from "./channels/log-channel.js";
export type { SlackChannelOptions } from "./channels/slack-channel.js";
export { createSlackChannel, slackPayload } from "./channels/slack-channel.js";
export type { WebhookChannelOptions } from "./channels/webhook-channel.js";
export { createWebhookChannel, webhookBody } from "./channels/webhook-channel.js";
export type { RetryOptions } from "./delivery.js";
export type { AlertEngine, AlertEngineOptions, AlertInstanceView, EvaluationResult } from "./engine.js";
export { createAlertEngine } from "./engine.js";
export type { InhibitRule } from "./inhibit.js";
export { defaultInhibitRules } from "./inhibit.js";
export type { LabelMatcher, MatchOp } from "./matchers.js";
export { parseSelector } from "./matchers.js";
export type { ChannelRoute, ChannelStats, Notifier, NotifierOptions, RouteOptions } from "./notifier.js";
export { createNotifier } from "./notifier.js";
export type { ImportResult } from "./prometheus-rules.js";
export { exportPrometheusRules, importPrometheusRules } from "./prometheus-rules.js";
export type {
  AlertRule,
  AlertRuleSpec,
  ConditionSpec,
  Operator,
  OutcomePolicy,
  ParseRulesOptions,
  Reduction,
} from "./rule.js";
export { parseRule, parseRules, Severity } from "./rule.js";
export type { Silence, SilenceInput, SilenceState, Silences } from "./silences.js";
export { createSilences } from "./silences.js";
export type { AlertState, EvalOutcome, InstanceState } from "./state-machine.js";
export { nextState } from "./state-machine.js";
export type { AlertStateStore, NotificationLogEntry, PersistedAlertState } from "./state-store.js";
export { createMemoryStateStore } from "./state-store.js";
export { createJsonFileStateStore } from "./stores/json-file-store.js";
export { createSqliteStateStore } from "./stores/sqlite-state-store.js";
export type { ThresholdRuleOptions, Thresholds } from "./thresholds.js";
export { rulesFromThresholds, thresholdMetrics } from "./thresholds.js";
export type { HistoryQuery, Sample as AlertSample } from "./window.js";
