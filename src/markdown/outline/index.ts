/**
 * The fast outline scanner: line scanners that answer, without running
 * micromark over the prose, what the TOC (`toc-outline.ts`: headings, lists,
 * comments, front matter, first paragraph) and the link checker
 * (`link-scan.ts`: headings, simple links, blocks left to the parser) need.
 * Both split lines the same way (`lines.ts`: LF, CR LF, CR) and both are
 * exact or give up; the callers parse fully where they give up.
 * test/markdown/outline.property.test.ts checks them against the full parse.
 */
export { scanNote, scanNotes, scanOutline, type ScanOptions } from './toc-outline.ts';
export { scanBody, type FastScan, type PendingBlock } from './link-scan.ts';
export { splitLines, mayNestDeep, type Line } from './lines.ts';
