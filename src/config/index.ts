/** One validated configuration, read by the vitest plugin and every command. */
export { loadConfig, ConfigError, CONFIG_FILES, type LoadOptions } from './load.ts';
export { readEnv, ENV_VARIABLES, type EnvOverrides } from './env.ts';
export {
  defaultConfig,
  parseSize,
  formatSize,
  validateUserConfig,
  CONFIG_KEYS,
  DEFAULT_LIMITS,
  type KbConfig,
  type UserConfig,
  type Limits,
  type Override,
  type SandboxMode,
  type ScopedSettings,
  type RunMode,
  type ConfigProblem,
} from './schema.ts';
export { settingsFor, languageRuns } from './scope.ts';
