// @ticketing/local: the whole system on one machine. What e2e tests and the benchmark use:
// a throwaway stack (started on free ports, ready when it resolves) and a client for it.
export { startThrowawayStack, UNTHROTTLED_ENV, type ThrowawayStackOptions } from './throwaway';
export { readEnvFile, REPO_ROOT } from './repo-files';
export { HTTP_SERVICES, WORKER_SERVICES, PATH_RULES, startStack, type InfraServer, type ServiceName, type Stack, type StackOptions } from './stack';
export { isReady, metricsText, NoAnswerError, requestJson, restartWithEnv, sumMetric, waitUntilReady, type JsonReply, type JsonRequest } from './client';
