import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { API_SCOPE_TERMS, labelOf } from '@desk/vocabulary';
import { forbidden, unauthenticated } from '../common/domain-error';
import { ACCESS_KEY, type Access } from './access.decorator';
import { ApiClientCredentials, isApiClientSecret } from './api-client-credentials';
import { AuthService } from './auth.service';
import { ROLE_TERMS } from '@desk/vocabulary';
import { csrfTokenFor, readCookie, sameToken, sentCsrfToken, SESSION_COOKIE } from '../console/console-session';
import type { ApiClientPrincipal, Principal } from './principal';

type GuardedRequest = Request & { principal?: Principal; apiClient?: ApiClientPrincipal; csrfToken?: string };

/**
 * Deny by default: a route is open only when declared @Public(), role-restricted when declared with roles, and for the
 * platforms' API clients only when declared @ForApiClients(scopes). A client's secret never opens a staff route, nor a
 * staff token a client's route.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    private readonly apiClients: ApiClientCredentials,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const access = this.reflector.getAllAndOverride<Access | undefined>(ACCESS_KEY, [context.getHandler(), context.getClass()]) ?? {
      public: false,
      roles: [],
    };
    if (access.public) return true;
    const request = context.switchToHttp().getRequest<GuardedRequest>();
    let principal: Principal | null;
    if (!access.apiClient && access.console) {
      // The console: the session cookie, and on every write the CSRF token derived from it.
      const token = readCookie(request, SESSION_COOKIE);
      principal = token ? await this.auth.principalForToken(token) : null;
      if (!principal) throw unauthenticated('请先登录');
      const csrf = csrfTokenFor(token!);
      if (request.method !== 'GET' && request.method !== 'HEAD' && !sameToken(csrf, sentCsrfToken(request))) {
        throw forbidden('页面已过期或来源不明，请刷新页面后重试');
      }
      request.csrfToken = csrf;
    } else {
      const header = request.headers.authorization ?? '';
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      if (!match) throw unauthenticated(access.apiClient ? '请提供 API 客户端密钥（Authorization: Bearer <密钥>）' : '请先登录（Authorization: Bearer <token>）');
      if (isApiClientSecret(match[1])) {
        request.apiClient = await this.apiClient(match[1], access, request, context.switchToHttp().getResponse<Response>());
        return true;
      }
      principal = await this.auth.principalForToken(match[1]);
      if (!principal) throw unauthenticated('登录已过期或已退出，请重新登录');
      if (access.apiClient) throw forbidden('此接口仅供政务服务平台的 API 客户端调用');
    }
    if (access.roles.length && !principal.roles.some((role) => access.roles.includes(role))) {
      throw forbidden(`此操作需要以下角色之一：${access.roles.map((role) => labelOf(ROLE_TERMS, role)).join('、')}`);
    }
    request.principal = principal;
    return true;
  }

  /** A client's call: logged whatever its answer; a revoked client is refused at once (its row is read on every call). */
  private async apiClient(secret: string, access: Exclude<Access, { public: true }>, request: Request, response: Response): Promise<ApiClientPrincipal> {
    const credential = await this.apiClients.clientFor(secret);
    if (!credential) throw unauthenticated('API 客户端密钥无效或已轮换失效');
    this.apiClients.logWhenAnswered(credential.principal.clientId, request, response);
    if (credential.revoked) throw unauthenticated('该 API 客户端已停用，请联系本机关管理员');
    if (!access.apiClient) throw forbidden('API 客户端不能访问工作人员接口');
    const missing = access.scopes.filter((scope) => !credential.principal.scopes.includes(scope));
    if (missing.length) throw forbidden(`该 API 客户端未获授权：${missing.map((scope) => labelOf(API_SCOPE_TERMS, scope)).join('、')}`);
    return credential.principal;
  }
}
