/**
 * Diagnostics are vfile messages with a position and a rule id. This module
 * only adds the project's one-line format: `notes/x.md:12:1: reason [rule-id]`.
 */
import type { Point, Position } from 'unist';
import type { VFile } from 'vfile';
import { VFileMessage } from 'vfile-message';
import { RULES, type RuleId } from './rules.ts';

export { RULES, isRuleId, ruleOf, type RuleId, type RuleSpec, type Severity, type Stage } from './rules.ts';

export type Place = Point | Position | { line: number; column: number } | undefined;

/**
 * Record a diagnostic of a registered rule on the note's vfile; returns the
 * message. The rule's severity in the registry decides whether it is fatal.
 */
export function report(file: VFile, reason: string, place: Place, ruleId: RuleId): VFileMessage {
  const message = file.message(reason, { place: place as Point | Position | undefined, ruleId, source: 'kb' });
  message.fatal = RULES[ruleId].severity === 'error';
  return message;
}

/** The same as `report`, for rules registered as warnings (does not fail anything by itself). */
export function warn(file: VFile, reason: string, place: Place, ruleId: RuleId): VFileMessage {
  return report(file, reason, place, ruleId);
}

export interface PlainDiagnostic {
  file: string;
  line: number;
  column: number;
  reason: string;
  ruleId: string;
  fatal: boolean;
}

export function toPlain(message: VFileMessage, fallbackFile = ''): PlainDiagnostic {
  return {
    file: message.file || fallbackFile,
    line: message.line ?? 1,
    column: message.column ?? 1,
    reason: message.reason,
    ruleId: message.ruleId ?? 'kb',
    fatal: message.fatal === true,
  };
}

/** `notes/x.md:12:1: reason [rule-id]` */
export function formatDiagnostic(d: PlainDiagnostic | VFileMessage): string {
  const plain = d instanceof VFileMessage ? toPlain(d) : d;
  return `${plain.file}:${plain.line}:${plain.column}: ${plain.reason} [${plain.ruleId}]`;
}

export function formatDiagnostics(messages: Iterable<PlainDiagnostic | VFileMessage>): string {
  return [...messages].map(formatDiagnostic).join('\n');
}
