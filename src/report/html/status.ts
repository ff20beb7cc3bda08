/**
 * How each status is shown: a class (colour) AND a visible label with a
 * symbol, so the status never depends on colour alone.
 */
import type { ClaimStatus, ExampleStatus, TestStatus } from '../schema.ts';

export interface StatusLook {
  label: string;
  symbol: string;
}

export const CLAIM_LOOK: Record<ClaimStatus, StatusLook> = {
  verified: { label: 'verified', symbol: '✓' },
  weak: { label: 'weak', symbol: '~' },
  cited: { label: 'cited', symbol: '❝' },
  failing: { label: 'failing', symbol: '✗' },
  'no-evidence': { label: 'no evidence', symbol: '?' },
  'not-run': { label: 'not run', symbol: '–' },
};

export const TEST_LOOK: Record<ExampleStatus | TestStatus, StatusLook> = {
  passed: { label: 'passed', symbol: '✓' },
  failed: { label: 'failed', symbol: '✗' },
  skipped: { label: 'skipped', symbol: '↷' },
  'not-run': { label: 'not run', symbol: '–' },
};

export function badgeText(look: StatusLook): string {
  return `${look.symbol} ${look.label}`;
}
