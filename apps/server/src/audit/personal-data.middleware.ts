/**
 * Opens sealed personal data in every HTTP response, whatever produced it (plan JSON, read
 * models, comments, reports in Markdown or HTML, state at a version): the text about to be
 * sent is searched for sealed tokens, each replaced by its clear text escaped for the body's
 * type, or by `[erased]`. Done on the serialized body so no route can forget it.
 */
import { Inject, Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { PersonalData, containsSealedText } from '@lib/audit';

const jsonEscape = (clear: string) => JSON.stringify(clear).slice(1, -1);
const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
const htmlEscape = (clear: string) => clear.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);

function escaperFor(contentType: string | undefined): (clear: string) => string {
  if (contentType?.includes('json')) return jsonEscape;
  if (contentType?.includes('html') || contentType?.includes('xml')) return htmlEscape;
  return (clear) => clear;
}

@Injectable()
export class PersonalDataMiddleware implements NestMiddleware {
  constructor(@Inject(PersonalData) private readonly personalData: PersonalData) {}

  use(_request: Request, response: Response, next: NextFunction): void {
    const send = response.send.bind(response);
    response.send = (body?: unknown): Response => {
      if (typeof body !== 'string' || !containsSealedText(body)) return send(body);
      // express calls send again from json(); only the outermost string is opened
      response.send = send;
      this.personalData.open(body, escaperFor(response.get('Content-Type'))).then(
        (opened) => send(opened),
        () => {
          response.status(503).type('application/json');
          send(
            JSON.stringify({
              statusCode: 503,
              error: 'Service Unavailable',
              message: 'personal data keys are unreachable; try again',
            }),
          );
        },
      );
      return response;
    };
    next();
  }
}
