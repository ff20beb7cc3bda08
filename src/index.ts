/** The programmatic API of kb-doctest (placeholder: pinned by test/api.test.ts once settled). */
export { loadConfig, ConfigError, type KbConfig, type UserConfig } from './config/index.ts';
