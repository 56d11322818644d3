// Per-resource settings of the `libvirt.uri` section, pulled from the client when it supports
// workspace/configuration, else taken from initialization options and didChangeConfiguration.
import { Connection } from 'vscode-languageserver/node';
import { DEFAULT_SETTINGS, ServiceSettings } from '../languageservice/languageService';
import { maxDiagnosticsSetting } from '../languageservice/limits';

interface RawSection {
  uri?: { enable?: unknown; severity?: unknown; maxDiagnostics?: unknown };
}

function objectOf<T>(value: unknown, accept: (v: unknown) => v is T): Record<string, T> {
  const out: Record<string, T> = {};
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) if (accept(v)) out[k] = v;
  }
  return out;
}

const isBoolean = (v: unknown): v is boolean => typeof v === 'boolean';
const isSeverity = (v: unknown): v is ServiceSettings['severity'][string] =>
  v === 'error' || v === 'warning' || v === 'information' || v === 'hint' || v === 'off';

function toServiceSettings(section: unknown): ServiceSettings {
  const raw = (section ?? {}) as RawSection;
  return {
    enable: objectOf(raw.uri?.enable, isBoolean),
    severity: objectOf(raw.uri?.severity, isSeverity),
    maxDiagnostics: maxDiagnosticsSetting(raw.uri?.maxDiagnostics),
  };
}

export class SettingsCache {
  pullsConfiguration = false;
  private global: ServiceSettings = DEFAULT_SETTINGS;
  private readonly perResource = new Map<string, Promise<ServiceSettings>>();

  constructor(private readonly connection: Connection) {}

  configure(pullsConfiguration: boolean, initializationOptions: unknown): void {
    this.pullsConfiguration = pullsConfiguration;
    const init = initializationOptions as { settings?: unknown } | undefined;
    if (init?.settings) this.global = toServiceSettings((init.settings as { libvirt?: unknown }).libvirt ?? init.settings);
  }

  /** A configuration change: pushed settings replace the global ones; pulled ones are fetched again. */
  reset(pushed: unknown): void {
    this.perResource.clear();
    const section = (pushed as { libvirt?: unknown } | undefined)?.libvirt;
    if (!this.pullsConfiguration && section !== undefined) this.global = toServiceSettings(section);
  }

  get(uri: string): Promise<ServiceSettings> {
    if (!this.pullsConfiguration) return Promise.resolve(this.global);
    const cached = this.perResource.get(uri);
    if (cached) return cached;
    const entry = this.connection.workspace
      .getConfiguration({ scopeUri: uri, section: 'libvirt' })
      .then(toServiceSettings, () => this.global);
    this.perResource.set(uri, entry);
    return entry;
  }

  forget(uri: string): void {
    this.perResource.delete(uri);
  }
}
