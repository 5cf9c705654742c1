export { argumentsToObject, isRecord, safeJsonParse } from '../shared/json';
