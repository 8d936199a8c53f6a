import type { OpenAPIObject } from '@nestjs/swagger';
import { EVENT_DECLARATIONS, eventBodySchema, STAFF_EVENT_TYPES } from '@desk/case-workflow';

/** The schema name of the body of POST /api/cases/{id}/events: one of the staff events, by `type`. */
export const EVENT_BODY_SCHEMA = 'CaseEventBody';

/**
 * The event bodies in the OpenAPI document, generated from the event declarations: one schema per event (its type, the
 * common fields, its own fields with their Chinese labels and help), and their `oneOf` with a `type` discriminator.
 */
export function addEventSchemas(document: OpenAPIObject): OpenAPIObject {
  const schemas = (document.components ??= {}).schemas ??= {};
  const name = (type: string) => `Event_${type}`;
  for (const type of STAFF_EVENT_TYPES) schemas[name(type)] = eventBodySchema(type) as never;
  schemas[EVENT_BODY_SCHEMA] = {
    description: `办理事项：${STAFF_EVENT_TYPES.map((type) => EVENT_DECLARATIONS[type].label).join('、')}`,
    oneOf: STAFF_EVENT_TYPES.map((type) => ({ $ref: `#/components/schemas/${name(type)}` })),
    discriminator: { propertyName: 'type', mapping: Object.fromEntries(STAFF_EVENT_TYPES.map((type) => [type, `#/components/schemas/${name(type)}`])) },
  };
  return document;
}
