import { Injectable } from '@nestjs/common';
import { API_SCOPE_TERMS, CALLBACK_EVENT_TERMS, CALLBACK_STATUS_TERMS, labelOf } from '@desk/vocabulary';
import { DataSource } from 'typeorm';
import type { ApiScope, Principal } from '../auth/principal';
import { notFound } from '../common/domain-error';
import { isUuid } from '../common/text';
import { ApiClientsService } from '../integration/api-clients.service';
import type { CallbackEvent } from '../integration/callback-changes';
import { CreateApiClientDto, RotateApiClientSecretDto, SubscriptionDto, type ApiClientViewDto, type CallbackViewDto } from '../integration/dto/api-client.dto';
import { PlatformCallbacks } from '../integration/platform-callbacks.service';
import { dtoProblems, formField, formFields, isFormRefusal, placeRefusal, postedList, postedText, refusalStatus, type FieldSpec, type Problem } from './console-forms';

export type PageOutcome<T> = { ok: true; value: T } | { ok: false; status: number; problems: Problem[]; values: Record<string, unknown> };

/** How many of a client's calls its page lists (the API gives up to 1 000). */
const ACCESS_LOG_ROWS = 50;

/** What a platform's call was for, in the administrator's words (the routes of integration.controller.ts). */
function callPurpose(method: string, path: string): string {
  if (method === 'POST' && path === '/api/integration/applications') return '转入申请';
  if (method === 'GET' && /^\/api\/integration\/applications\/[^/]+\/letters\/[^/]+$/.test(path)) return '下载文书';
  if (method === 'GET' && /^\/api\/integration\/applications\/[^/]+$/.test(path)) return '查询办理进度';
  return '其他调用';
}

/** How the desk answered a platform's call, in words (the HTTP status beside it for the platform's technicians). */
function callAnswer(status: number): { words: string; ok: boolean } {
  if (status >= 200 && status < 300) return { words: '成功', ok: true };
  const words: Record<number, string> = {
    400: '内容有误，未受理',
    401: '密钥无效、已轮换失效或客户端已停用',
    403: '超出授权范围',
    404: '未找到',
    409: '与已有记录冲突',
    413: '内容过大',
    429: '调用过于频繁',
  };
  return { words: words[status] ?? (status >= 500 ? '本系统出错' : '未受理'), ok: false };
}

/**
 * The administrator's pages for the platforms' API clients and their status callbacks (issue 19 items 1 and 3, issue 16
 * item 8): every change goes through the services behind /api/admin/api-clients and /api/admin/callbacks, checked by
 * the same DTOs, so the pages and the API refuse the same things in the same words.
 */
@Injectable()
export class ApiClientsPages {
  constructor(
    private readonly clients: ApiClientsService,
    private readonly callbacks: PlatformCallbacks,
    private readonly dataSource: DataSource,
  ) {}

  async list(principal: Principal) {
    const clients = await this.clients.list(principal);
    return { clients: clients.map((client) => this.describe(client)), activeCount: clients.filter((client) => client.active).length };
  }

  async client(principal: Principal, id: string) {
    const found = (await this.clients.list(principal)).find((client) => client.id === id);
    if (!found) throw notFound('没有这个 API 客户端，或它不属于本机关');
    return this.describe(found);
  }

  /** The client's page: its record, the subscription form (as stored, or as posted) and its latest calls. */
  async detail(principal: Principal, id: string, subscription: { values?: Record<string, unknown>; problems?: Problem[] } = {}) {
    const client = await this.client(principal, id);
    const log = isUuid(id) ? await this.clients.accessLog(principal, id, ACCESS_LOG_ROWS) : [];
    const values = subscription.values ?? { url: client.subscription?.url ?? '', events: client.subscription?.events ?? [] };
    const problems = subscription.problems ?? [];
    return {
      client,
      subscriptionFields: this.subscriptionFields(values, problems),
      rotateSigningSecret: Boolean(values.rotateSigningSecret),
      problems,
      calls: log.map((entry) => ({ ...entry, purpose: callPurpose(entry.method, entry.path), answer: callAnswer(entry.status) })),
      logLimit: ACCESS_LOG_ROWS,
    };
  }

  /** The new client's fields: the agencies it may address only when this deployment serves more than one. */
  async createFields(values: Record<string, unknown>, problems: Problem[]) {
    const agencies: { code: string; name: string }[] = await this.dataSource.query(`SELECT code, name FROM agencies ORDER BY name`);
    const specs: FieldSpec[] = [
      { name: 'name', label: '客户端名称', widget: 'text', hint: '平台的名称，如“浙里公开平台”“一网通办”。', max: 100 },
      {
        name: 'source',
        label: '来源平台',
        widget: 'text',
        hint: '平台转入申请时填写的来源平台编码：2 至 40 位小写字母、数字或 -，与平台约定，如 zlgk。同一来源平台同时只能有一个在用的客户端。',
        max: 40,
      },
      { name: 'scopes', label: '授权范围', widget: 'checkboxes', hint: '可选多项。平台只能调用所授权的功能。', options: API_SCOPE_TERMS.map((term) => ({ value: term.code, label: term.label, hint: term.hint })) },
      ...(agencies.length > 1
        ? [{ name: 'agencies', label: '受理机关', widget: 'checkboxes' as const, hint: '平台可以向哪些机关转入申请。', options: agencies.map((agency) => ({ value: agency.code, label: agency.name })) }]
        : []),
    ];
    return formFields(specs, values, problems);
  }

  async defaultCreateValues(principal: Principal): Promise<Record<string, unknown>> {
    const [own]: { code: string }[] = await this.dataSource.query(`SELECT code FROM agencies WHERE id = $1`, [principal.agencyId]);
    return { scopes: API_SCOPE_TERMS.map((term) => term.code), agencies: own ? [own.code] : [] };
  }

  async create(principal: Principal, posted: Record<string, unknown>): Promise<PageOutcome<{ client: ReturnType<ApiClientsPages['describe']>; secret: string }>> {
    const agencies = postedList(posted, 'agencies');
    const values = { name: postedText(posted, 'name'), source: postedText(posted, 'source'), scopes: postedList(posted, 'scopes'), agencies };
    const input = { name: values.name, source: values.source, scopes: values.scopes, ...(agencies.length ? { agencies } : {}) };
    const problems = dtoProblems(CreateApiClientDto, input);
    if (!values.scopes.length && !problems.some((problem) => problem.name === 'scopes')) problems.push({ name: 'scopes', message: '至少需要一项授权范围' });
    if (problems.length) return { ok: false, status: 400, problems, values };
    try {
      const created = await this.clients.create(principal, { ...input, scopes: values.scopes as ApiScope[] });
      return { ok: true, value: { client: this.describe(created), secret: created.secret } };
    } catch (error) {
      if (!isFormRefusal(error)) throw error;
      const placed = placeRefusal(error, [
        { name: 'source', label: '来源平台' },
        { name: 'agencies', label: '机关' },
      ]);
      return { ok: false, status: refusalStatus(error), problems: placed, values };
    }
  }

  rotateField(values: Record<string, unknown>, problems: Problem[]) {
    return formField(
      {
        name: 'previousSecretValidMinutes',
        label: '旧密钥保留分钟数',
        widget: 'integer',
        min: 0,
        max: 7 * 24 * 60,
        hint: '填 0 时旧密钥立即失效。平台需要时间换用新密钥的，可让旧密钥再用一段时间（最长 7 天，即 10080 分钟）。',
      },
      values.previousSecretValidMinutes,
      problems,
    );
  }

  async rotate(principal: Principal, id: string, posted: Record<string, unknown>): Promise<PageOutcome<{ client: ReturnType<ApiClientsPages['describe']>; secret: string }>> {
    const raw = postedText(posted, 'previousSecretValidMinutes');
    const values = { previousSecretValidMinutes: raw };
    const problems = dtoProblems(RotateApiClientSecretDto, raw === '' ? {} : { previousSecretValidMinutes: raw });
    if (problems.length) return { ok: false, status: 400, problems, values };
    try {
      const rotated = await this.clients.rotate(principal, id, raw === '' ? 0 : Number(raw));
      return { ok: true, value: { client: this.describe(rotated), secret: rotated.secret } };
    } catch (error) {
      if (!isFormRefusal(error)) throw error;
      return { ok: false, status: refusalStatus(error), problems: [{ name: null, message: error.message }], values };
    }
  }

  async revoke(principal: Principal, id: string): Promise<PageOutcome<null>> {
    try {
      await this.clients.revoke(principal, id);
      return { ok: true, value: null };
    } catch (error) {
      if (!isFormRefusal(error)) throw error;
      return { ok: false, status: refusalStatus(error), problems: [{ name: null, message: error.message }], values: {} };
    }
  }

  /** The subscription as posted; a new signing secret (the first time, or when asked for) comes back to be shown once. */
  async subscribe(principal: Principal, id: string, posted: Record<string, unknown>): Promise<PageOutcome<{ signingSecret: string | null }>> {
    const values = { url: postedText(posted, 'url'), events: postedList(posted, 'events'), rotateSigningSecret: postedList(posted, 'rotateSigningSecret').includes('yes') };
    const input = { url: values.url, events: values.events, ...(values.rotateSigningSecret ? { rotateSigningSecret: true } : {}) };
    const problems = dtoProblems(SubscriptionDto, input);
    if (problems.length) return { ok: false, status: 400, problems, values };
    try {
      const result = await this.clients.subscribe(principal, id, { ...input, events: values.events as CallbackEvent[] });
      return { ok: true, value: { signingSecret: result.signingSecret } };
    } catch (error) {
      if (!isFormRefusal(error)) throw error;
      return { ok: false, status: refusalStatus(error), problems: placeRefusal(error, [{ name: 'url', label: '回调地址' }]), values };
    }
  }

  async unsubscribe(principal: Principal, id: string): Promise<void> {
    await this.clients.unsubscribe(principal, id);
  }

  /** The callbacks of the agency's clients, newest first, filtered by delivery status and client. */
  async callbackList(principal: Principal, raw: Record<string, unknown>) {
    const text = (name: string) => (typeof raw[name] === 'string' ? (raw[name] as string).trim() : '');
    const clients = await this.clients.list(principal);
    const filters = { status: text('status'), clientId: text('clientId') };
    const problems: Problem[] = [];
    if (filters.status && !CALLBACK_STATUS_TERMS.some((term) => term.code === filters.status)) problems.push({ name: 'status', message: '发送状态 应从列表中选择' });
    if (filters.clientId && !clients.some((client) => client.id === filters.clientId)) problems.push({ name: 'clientId', message: '客户端 应从列表中选择' });
    const callbacks = problems.length
      ? []
      : await this.callbacks.list(principal, { ...(filters.status ? { status: filters.status } : {}), ...(filters.clientId ? { clientId: filters.clientId } : {}) });
    const fields = formFields(
      [
        { name: 'status', label: '发送状态', widget: 'select', emptyOption: '全部状态', options: CALLBACK_STATUS_TERMS.map((term) => ({ value: term.code, label: term.label })) },
        { name: 'clientId', label: '客户端', widget: 'select', emptyOption: '全部客户端', options: clients.map((client) => ({ value: client.id, label: client.name })) },
      ],
      filters,
      problems,
    );
    return { fields, problems, callbacks: callbacks.map((callback) => this.describeCallback(callback)), filtered: Boolean(filters.status || filters.clientId) };
  }

  async replay(principal: Principal, id: string): Promise<PageOutcome<null>> {
    try {
      await this.callbacks.replay(principal, id);
      return { ok: true, value: null };
    } catch (error) {
      if (!isFormRefusal(error)) throw error;
      return { ok: false, status: refusalStatus(error), problems: [{ name: null, message: error.message }], values: {} };
    }
  }

  private subscriptionFields(values: Record<string, unknown>, problems: Problem[]) {
    return formFields(
      [
        {
          name: 'url',
          label: '回调地址',
          widget: 'text',
          hint: '平台接收回调的网址。本系统以 POST 发送回调，并附 HMAC-SHA256 签名；正式环境须为 https:// 开头。',
          max: 2000,
        },
        {
          name: 'events',
          label: '回调事项',
          widget: 'checkboxes',
          hint: '可选多项。案件发生所选的变化时，本系统通知平台。',
          options: CALLBACK_EVENT_TERMS.map((term) => ({ value: term.code, label: term.label, hint: term.hint })),
        },
      ],
      values,
      problems,
    );
  }

  /** A client as the pages show it: its status, scopes and subscribed events in words. */
  private describe(client: ApiClientViewDto) {
    return {
      ...client,
      scopeText: client.scopeLabels.join('、'),
      agencyText: client.agencies.map((agency) => agency.name).join('、'),
      subscription: client.subscription ? { ...client.subscription, eventText: client.subscription.events.map((event) => labelOf(CALLBACK_EVENT_TERMS, event)).join('、') } : null,
    };
  }

  private describeCallback(callback: CallbackViewDto) {
    return {
      ...callback,
      eventText: callback.events.map((event) => labelOf(CALLBACK_EVENT_TERMS, event)).join('、'),
      tone: callback.status === 'delivered' ? 'ok' : callback.status === 'dead' ? 'bad' : 'warn',
      replayable: callback.status === 'dead',
    };
  }
}
