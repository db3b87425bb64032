/**
 * XML in and out for MSPDI, with the parser locked down: a file that declares a DOCTYPE is
 * refused before it reaches the parser (MSPDI never has one, and a DOCTYPE is where entity
 * bombs and external entities live), entity processing is off, and only the five predefined
 * entities and character references are decoded — by us, after parsing, so nothing expands.
 *
 *   const project = parseMspdiXml(text).Project;      // plain objects, every leaf a string
 *   xmlDocument('Project', [['Name', 'CRM'], ['Tasks', [...]]], MSPDI_NAMESPACE);
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { ImportRefusedError } from '../import-report';

export const MSPDI_NAMESPACE = 'http://schemas.microsoft.com/project';

/** A parsed element: leaves are strings, repeatable elements are always arrays. */
export type XmlNode = { readonly [name: string]: XmlValue };
export type XmlValue = string | XmlNode | readonly XmlNode[] | readonly string[];

// Elements that may repeat in MSPDI; the parser makes them arrays even when there is one.
const REPEATED = new Set([
  'Task',
  'Resource',
  'Assignment',
  'PredecessorLink',
  'Calendar',
  'WeekDay',
  'Exception',
  'Baseline',
  'ExtendedAttribute',
  'WorkingTime',
  'TimePeriod',
  'WorkWeek',
]);

/** Deeper than any MSPDI document; bounds the parser's recursion on hostile input. */
const MAX_DEPTH = 32;

export function parseMspdiXml(text: string): XmlNode {
  const doctype = /<!DOCTYPE/i.exec(text);
  if (doctype) {
    throw new ImportRefusedError('mspdi', [
      {
        at: lineAndColumn(text, doctype.index),
        message: 'a DOCTYPE is not allowed (entity declarations are refused, never expanded)',
      },
    ]);
  }
  if (/<!ENTITY/i.test(text)) {
    throw new ImportRefusedError('mspdi', [
      {
        at: lineAndColumn(text, text.search(/<!ENTITY/i)),
        message: 'entity declarations are not allowed',
      },
    ]);
  }
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    throw new ImportRefusedError('mspdi', [
      { at: `line ${valid.err.line}, column ${valid.err.col}`, message: valid.err.msg },
    ]);
  }
  const parser = new XMLParser({
    processEntities: false,
    htmlEntities: false,
    ignoreAttributes: true,
    ignoreDeclaration: true,
    ignorePiTags: true,
    parseTagValue: false,
    trimValues: true,
    removeNSPrefix: true,
    maxNestedTags: MAX_DEPTH,
    isArray: (name) => REPEATED.has(name),
  });
  return decodeEntities(parser.parse(text) as unknown) as XmlNode;
}

function lineAndColumn(text: string, index: number): string {
  const before = text.slice(0, index);
  const line = before.split('\n').length;
  return `line ${line}, column ${index - before.lastIndexOf('\n')}`;
}

const PREDEFINED: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
};

function decodeEntities(value: unknown): unknown {
  if (typeof value === 'string') {
    return value.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (whole, name: string) => {
      if (name.startsWith('#x')) return codePoint(parseInt(name.slice(2), 16), whole);
      if (name.startsWith('#')) return codePoint(parseInt(name.slice(1), 10), whole);
      return PREDEFINED[name] ?? whole;
    });
  }
  if (Array.isArray(value)) return value.map(decodeEntities);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decodeEntities(v)]));
  }
  return value;
}

function codePoint(code: number, fallback: string): string {
  return Number.isInteger(code) && code > 0 && code <= 0x10ffff
    ? String.fromCodePoint(code)
    : fallback;
}

/** One child element when writing: a leaf text, or nested children; undefined is left out. */
export type XmlChild = readonly [
  name: string,
  content: string | number | readonly XmlChild[] | undefined,
];

export function xmlDocument(
  root: string,
  children: readonly XmlChild[],
  namespace: string,
): string {
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<${root} xmlns="${namespace}">\n${children
    .map((child) => writeChild(child, 1))
    .join('')}</${root}>\n`;
}

function writeChild([name, content]: XmlChild, depth: number): string {
  if (content === undefined) return '';
  const indent = '  '.repeat(depth);
  if (typeof content === 'string' || typeof content === 'number') {
    return `${indent}<${name}>${escapeXml(String(content))}</${name}>\n`;
  }
  return `${indent}<${name}>\n${content.map((c) => writeChild(c, depth + 1)).join('')}${indent}</${name}>\n`;
}

export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
}
