/**
 * The routes of a running server as its OpenAPI document (`/docs-json`) lists them, each with
 * the access rule its decorator wrote (`x-access`), and minimal request values built from the
 * document's schemas. The role matrix and the hostile-input fuzzer iterate over these, so a
 * route added to the server is checked without anyone adding it to a test.
 */
import type { AuthRequirement } from '@lib/auth/nest';

export interface OpenApiSchema {
  readonly $ref?: string;
  readonly type?: string;
  readonly format?: string;
  readonly enum?: readonly unknown[];
  readonly example?: unknown;
  readonly default?: unknown;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minLength?: number;
  readonly minItems?: number;
  readonly items?: OpenApiSchema;
  readonly properties?: Record<string, OpenApiSchema>;
  readonly required?: readonly string[];
  readonly oneOf?: readonly OpenApiSchema[];
  readonly anyOf?: readonly OpenApiSchema[];
  readonly allOf?: readonly OpenApiSchema[];
}

interface OpenApiParameter {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header' | 'cookie';
  readonly required?: boolean;
  readonly schema?: OpenApiSchema;
}

interface OpenApiOperation {
  readonly parameters?: readonly OpenApiParameter[];
  readonly requestBody?: { readonly content?: Record<string, { schema?: OpenApiSchema }> };
  readonly 'x-access'?: AuthRequirement;
}

export interface OpenApiDocument {
  readonly paths: Record<string, Record<string, OpenApiOperation>>;
  readonly components?: { readonly schemas?: Record<string, OpenApiSchema> };
}

export interface ApiRoute {
  /** `POST /plans/{id}/tasks` */
  readonly name: string;
  readonly method: string;
  /** the OpenAPI path template, `/plans/{id}/tasks/{itemId}` */
  readonly template: string;
  readonly rule: AuthRequirement | undefined;
  readonly pathParams: readonly string[];
  readonly query: readonly OpenApiParameter[];
  /** the JSON body schema, resolved one level (undefined: the route takes no body) */
  readonly body: OpenApiSchema | undefined;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

export async function fetchOpenApi(baseUrl: string): Promise<OpenApiDocument> {
  const response = await fetch(`${baseUrl}/docs-json`);
  if (response.status !== 200) throw new Error(`GET /docs-json answered ${response.status}`);
  return (await response.json()) as OpenApiDocument;
}

export function apiRoutes(doc: OpenApiDocument): ApiRoute[] {
  const routes: ApiRoute[] = [];
  for (const [template, operations] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      if (!METHODS.includes(method)) continue;
      const parameters = operation.parameters ?? [];
      const json = operation.requestBody?.content?.['application/json']?.schema;
      routes.push({
        name: `${method.toUpperCase()} ${template}`,
        method: method.toUpperCase(),
        template,
        rule: operation['x-access'],
        pathParams: [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]),
        query: parameters.filter((p) => p.in === 'query'),
        body: json && resolve(doc, json),
      });
    }
  }
  return routes;
}

/** the routes a server serves without declaring who may call them */
export function routesWithoutRule(doc: OpenApiDocument): string[] {
  return apiRoutes(doc)
    .filter((route) => route.rule === undefined)
    .map((route) => route.name);
}

export function resolve(doc: OpenApiDocument, schema: OpenApiSchema): OpenApiSchema {
  if (!schema.$ref) return schema;
  const name = schema.$ref.replace('#/components/schemas/', '');
  const found = doc.components?.schemas?.[name];
  if (!found) throw new Error(`OpenAPI schema ${schema.$ref} is not in the document`);
  return resolve(doc, found);
}

/** a value the schema accepts, as small as possible: required properties only */
export function sampleValue(doc: OpenApiDocument, raw: OpenApiSchema, depth = 0): unknown {
  const schema = resolve(doc, raw);
  if (schema.example !== undefined) return schema.example;
  if (schema.enum?.length) return schema.enum[0];
  if (schema.default !== undefined) return schema.default;
  const choice = schema.oneOf ?? schema.anyOf;
  if (choice?.length) return sampleValue(doc, choice[0], depth);
  if (schema.allOf?.length) return sampleValue(doc, schema.allOf[0], depth);
  switch (schema.type) {
    case 'string':
      if (schema.format === 'date' || schema.format === 'date-time') return '2027-03-01';
      return 'x'.repeat(Math.max(1, schema.minLength ?? 1));
    case 'integer':
    case 'number':
      return schema.minimum ?? (schema.maximum !== undefined ? Math.min(1, schema.maximum) : 1);
    case 'boolean':
      return true;
    case 'array':
      return schema.minItems && schema.items && depth < 4
        ? Array.from({ length: schema.minItems }, () => sampleValue(doc, schema.items!, depth + 1))
        : [];
    default: {
      if (depth > 4) return {};
      const value: Record<string, unknown> = {};
      for (const name of schema.required ?? [])
        value[name] = sampleValue(doc, schema.properties?.[name] ?? {}, depth + 1);
      return value;
    }
  }
}

/** every property name a body schema (and its nested objects) mentions, for "names a field" */
export function propertyNames(doc: OpenApiDocument, raw: OpenApiSchema, depth = 0): string[] {
  const schema = resolve(doc, raw);
  if (depth > 4) return [];
  const nested = [
    ...(schema.oneOf ?? []),
    ...(schema.anyOf ?? []),
    ...(schema.allOf ?? []),
    ...(schema.items ? [schema.items] : []),
  ];
  return [
    ...Object.keys(schema.properties ?? {}),
    ...Object.values(schema.properties ?? {}).flatMap((p) => propertyNames(doc, p, depth + 1)),
    ...nested.flatMap((s) => propertyNames(doc, s, depth + 1)),
  ];
}

/** fills `{param}`s: `values[param]` when given, else `fallback` */
export function fillPath(
  template: string,
  values: Readonly<Record<string, string>>,
  fallback: string,
): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) =>
    encodeURIComponent(values[name] ?? fallback),
  );
}

/** Nest's own list of mapped routes (`Mapped {/plans/:id, GET} route` at LOG_LEVEL=info), as OpenAPI names */
export function mappedRoutes(serverOutput: string): string[] {
  return [...serverOutput.matchAll(/Mapped \{([^,}]+), (\w+)\} route/g)].map(
    ([, path, method]) => `${method} ${path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`,
  );
}
