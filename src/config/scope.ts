/** The settings that apply to one note: the configuration's, narrowed by every override whose files match it. */
import path from 'node:path';
import picomatch from 'picomatch';
import type { KbConfig, ScopedSettings } from './schema.ts';

const matchers = new WeakMap<object, (file: string) => boolean>();

function matches(override: KbConfig['overrides'][number], relative: string): boolean {
  let test = matchers.get(override);
  if (!test) {
    test = picomatch(override.files, { dot: true });
    matchers.set(override, test);
  }
  return test(relative);
}

/** `file` is absolute or relative to the root. */
export function settingsFor(config: KbConfig, file: string): ScopedSettings {
  const relative = (path.isAbsolute(file) ? path.relative(config.root, file) : file).split(path.sep).join('/');
  let settings: ScopedSettings = { languages: { ...config.languages }, limits: { ...config.limits }, network: config.network, run: config.run };
  for (const override of config.overrides) {
    if (!matches(override, relative)) continue;
    settings = {
      languages: { ...settings.languages, ...override.languages },
      limits: { ...settings.limits, ...override.limits },
      network: override.network ?? settings.network,
      run: override.run ?? settings.run,
    };
  }
  return settings;
}

/** Whether fences of `language` (as written, or its runner's name) run in a note with these settings. */
export function languageRuns(settings: ScopedSettings, language: string, runner?: string): boolean {
  const own = settings.languages[language];
  if (own !== undefined) return own;
  const byRunner = runner === undefined ? undefined : settings.languages[runner];
  return byRunner ?? true;
}
