/**
 * Diagnostics are vfile messages with a position and a rule id. This module
 * only adds the project's one-line format: `notes/x.md:12:1: reason [rule-id]`.
 */
import type { Point, Position } from 'unist';
import type { VFile } from 'vfile';
import { VFileMessage } from 'vfile-message';

export type Place = Point | Position | { line: number; column: number } | undefined;

/** Record an error on the note's vfile; returns the message. */
export function report(file: VFile, reason: string, place: Place, ruleId: string): VFileMessage {
  const message = file.message(reason, { place: place as Point | Position | undefined, ruleId, source: 'kb' });
  message.fatal = true;
  return message;
}

/** Record a warning (does not fail anything by itself). */
export function warn(file: VFile, reason: string, place: Place, ruleId: string): VFileMessage {
  const message = file.message(reason, { place: place as Point | Position | undefined, ruleId, source: 'kb' });
  message.fatal = false;
  return message;
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
