/** Risk scoring and the risk register read model: levels, heat map, overdue reviews, exposure trend. */
export {
  buildRiskRegister,
  type InvalidRiskField,
  type OverdueReview,
  type RegisteredRisk,
  type RiskRegister,
  type RiskRegisterOptions,
} from './risk-register';
export { exposureTrend, type ExposurePoint } from './exposure-trend';
export { buildHeatMap, heatMapCount, type HeatMap } from './heat-map';
export { isOnRiskScale, RISK_LEVELS, riskLevel, riskScore, type RiskLevel } from './risk-score';
export { RISK_STATUSES, type RiskInput, type RiskSnapshot, type RiskStatus } from './risk.model';
