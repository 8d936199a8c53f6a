import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, getSchemaPath, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { ApiModule } from '../api.module';
import { API_CLIENT_SECURITY } from '../auth/access.decorator';
import { addEventSchemas } from '../cases/event-openapi';
import { ErrorResponseDto } from '../common/error-response.dto';
import { createLogger } from '../common/logger';
import { loadConfig } from '../config/app-config';

/**
 * The API's OpenAPI document, served at /api/docs-json: read from the controllers' decorators and DTO classes, the
 * event bodies generated from the event declarations. test/e2e/openapi-contract.e2e-spec.ts holds every real answer
 * to it, and libs/api-client is generated from it.
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('依申请公开 Desk API')
      .setDescription(
        '政府信息公开申请办理系统：登记、办理、答复、转主动公开（《政府信息公开条例》2019）。日期为 YYYY-MM-DD（北京时间的日历日）；' +
          '每个错误都是 { statusCode, error, message }，message 是写给人看的中文说明；请求中不认识的字段一律拒绝（400）。',
      )
      .setVersion('0.1.0')
      .addBearerAuth()
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: '政务服务平台的 API 客户端密钥（ogi-client.…），由本机关管理员登记时给出' }, API_CLIENT_SECURITY)
      .build(),
    {
      extraModels: [ErrorResponseDto],
      operationIdFactory: (controller, method) => `${lowerFirst(controller.replace(/Controller$/, ''))}${upperFirst(method)}`,
    },
  );
  addEventSchemas(document);
  closeObjectSchemas(document);
  addServerFaults(document);
  return document;
}

/**
 * The same document without a database or a listening server: the modules are read in Nest's preview mode (nothing is
 * instantiated, nothing connects). For generating the typed client (libs/api-client) in a second.
 */
export async function buildOpenApiDocumentOffline(): Promise<OpenAPIObject> {
  const config = loadConfig({ NODE_ENV: 'test' });
  const module = ApiModule.forRoot({ config, dataSource: new DataSource({ type: 'postgres' }), logger: createLogger('silent') });
  const app = await NestFactory.create(module, { preview: true, logger: false, abortOnError: false });
  try {
    return buildOpenApiDocument(app);
  } finally {
    await app.close();
  }
}

type Schema = Record<string, unknown>;

/**
 * An object schema that lists its properties and says nothing of others is closed (`additionalProperties: false`):
 * a request DTO because the validation pipe refuses unknown fields (400, api.md), a response DTO because it declares
 * every field the service sends. A record with open keys says so itself (`additionalProperties: {…}`).
 */
function closeObjectSchemas(document: OpenAPIObject): void {
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    const schema = node as Schema;
    if (schema.properties && typeof schema.properties === 'object' && schema.additionalProperties === undefined) schema.additionalProperties = false;
    Object.values(schema).forEach(visit);
  };
  visit(document.components?.schemas);
  visit(document.paths);
}

/** What any route may answer when the server fails: a bug (500, with a correlation id) or a lost database (503). */
function addServerFaults(document: OpenAPIObject): void {
  const error = { 'application/json': { schema: { $ref: getSchemaPath(ErrorResponseDto) } } };
  for (const path of Object.values(document.paths)) {
    for (const operation of Object.values(path)) {
      if (!operation || typeof operation !== 'object' || !('responses' in operation)) continue;
      operation.responses['500'] ??= { description: '服务器内部错误：message 附编号，请管理员据此查找日志', content: error };
      operation.responses['503'] ??= { description: '数据库连接中断或不可用，请稍后重试', content: error };
    }
  }
}

const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);
const upperFirst = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
