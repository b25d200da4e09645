// The retention settings: defaults, and the warning must come before the erasure.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config.ts';

describe('retention configuration', () => {
  it('defaults to 365 days, warned 30 days before, swept every hour', () => {
    expect(loadConfig({})).toMatchObject({
      RETENTION_DAYS: 365,
      RETENTION_WARN_DAYS: 30,
      RETENTION_SWEEP_EVERY_MINUTES: 60,
    });
  });

  it('refuses a warning not before the erasure, and periods too short', () => {
    expect(() => loadConfig({ RETENTION_DAYS: '60', RETENTION_WARN_DAYS: '60' })).toThrow(
      /RETENTION_WARN_DAYS: must be less than RETENTION_DAYS/,
    );
    expect(() => loadConfig({ RETENTION_DAYS: '7' })).toThrow(ConfigError);
    expect(() => loadConfig({ RETENTION_SWEEP_EVERY_MINUTES: '0' })).toThrow(ConfigError);
    expect(loadConfig({ RETENTION_DAYS: '90', RETENTION_WARN_DAYS: '7' })).toMatchObject({
      RETENTION_DAYS: 90,
      RETENTION_WARN_DAYS: 7,
    });
  });
});
