/**
 * One entry point per direction, so the HTTP and CLI shells stay thin:
 *
 *   const imported = importPlanText(text, { fileName: 'plan.xml', title: 'CRM' });  // format detected
 *   imported.plan; imported.report.notes;
 *   const { body, contentType } = exportPlan(plan, 'mspdi', { fallbackStart: today });
 */
import type { IsoDate, PlanJson } from '@lib/plan-domain';
import { fitToPlanModel, type ConvertedPlan, type ImportedPlan } from './converted-plan';
import { readTasksCsv, writeTasksCsv } from './csv/tasks-csv';
import type { ExchangeFormat } from './import-report';
import { readMspdi } from './mspdi/read-mspdi';
import { writeMspdi, type MspdiExportOptions } from './mspdi/write-mspdi';
import { readPlanJson } from './plan-json-import';

export interface ImportOptions {
  /** Given by the caller; wins over everything else. */
  readonly format?: ExchangeFormat;
  /** The uploaded file's name: its extension decides when no format is given. */
  readonly fileName?: string;
  /** The request's content type, next in line. */
  readonly contentType?: string;
  /** Title for formats without one (CSV); defaults to the file name. */
  readonly title?: string;
  /** Plan start for formats without one (CSV). */
  readonly planStart?: IsoDate;
}

export function detectFormat(text: string, options: ImportOptions = {}): ExchangeFormat {
  if (options.format) return options.format;
  const extension = /\.([a-z]+)$/i.exec(options.fileName ?? '')?.[1]?.toLowerCase();
  if (extension === 'xml' || extension === 'mspdi') return 'mspdi';
  if (extension === 'csv') return 'csv';
  if (extension === 'json') return 'json';
  const type = (options.contentType ?? '').toLowerCase();
  if (type.includes('xml')) return 'mspdi';
  if (type.includes('csv')) return 'csv';
  if (type.includes('json')) return 'json';
  const first = text.replace(/^\uFEFF/, '').trimStart()[0];
  return first === '<' ? 'mspdi' : first === '{' ? 'json' : 'csv';
}

export function convertImport(text: string, options: ImportOptions = {}): ConvertedPlan {
  const format = detectFormat(text, options);
  switch (format) {
    case 'mspdi':
      return readMspdi(text);
    case 'csv':
      return readTasksCsv(text, {
        title: options.title || titleOfFile(options.fileName) || 'Imported plan',
        planStart: options.planStart,
      });
    case 'json':
      return readPlanJson(text);
    default: {
      const unknown: never = format;
      throw new Error(`unhandled format ${String(unknown)}`);
    }
  }
}

/** Converts and fits: the plan as the server will hold it, and the report. */
export function importPlanText(text: string, options: ImportOptions = {}): ImportedPlan {
  const converted = convertImport(text, options);
  const imported = fitToPlanModel(converted);
  if (options.title && converted.format !== 'csv' && imported.plan.meta.title !== options.title) {
    // a title given by the caller names the new plan, whatever the file called it
    const file = {
      ...imported.file,
      meta: { ...(imported.file.meta ?? {}), title: options.title },
    };
    return {
      ...imported,
      file,
      plan: { ...imported.plan, meta: { ...imported.plan.meta, title: options.title } },
    };
  }
  return imported;
}

export interface ExportedPlan {
  readonly body: string;
  readonly contentType: string;
  readonly extension: string;
}

export function exportPlan(
  plan: PlanJson,
  format: ExchangeFormat,
  options: MspdiExportOptions,
): ExportedPlan {
  switch (format) {
    case 'mspdi':
      return {
        body: writeMspdi(plan, options),
        contentType: 'application/xml; charset=utf-8',
        extension: 'xml',
      };
    case 'csv':
      return {
        body: writeTasksCsv(plan, options),
        contentType: 'text/csv; charset=utf-8',
        extension: 'csv',
      };
    case 'json':
      return {
        body: `${JSON.stringify(plan, null, 2)}\n`,
        contentType: 'application/json; charset=utf-8',
        extension: 'json',
      };
    default: {
      const unknown: never = format;
      throw new Error(`unhandled format ${String(unknown)}`);
    }
  }
}

function titleOfFile(fileName: string | undefined): string | undefined {
  const base = fileName
    ?.split(/[\\/]/)
    .pop()
    ?.replace(/\.[^.]+$/, '');
  return base || undefined;
}
