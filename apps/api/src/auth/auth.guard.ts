import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { forbidden, unauthenticated } from '../common/domain-error';
import { ACCESS_KEY, type Access } from './access.decorator';
import { AuthService } from './auth.service';
import { labelOf, ROLE_TERMS } from '@desk/vocabulary';
import { csrfTokenFor, readCookie, sameToken, sentCsrfToken, SESSION_COOKIE } from '../console/console-session';
import type { Principal } from './principal';

/** Deny by default: a route is open only when declared @Public(), and role-restricted when declared with roles. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const access = this.reflector.getAllAndOverride<Access | undefined>(ACCESS_KEY, [context.getHandler(), context.getClass()]) ?? {
      public: false,
      roles: [],
    };
    if (access.public) return true;
    const request = context.switchToHttp().getRequest<Request & { principal?: Principal; csrfToken?: string }>();
    let principal: Principal | null;
    if (access.console) {
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
      if (!match) throw unauthenticated('请先登录（Authorization: Bearer <token>）');
      principal = await this.auth.principalForToken(match[1]);
      if (!principal) throw unauthenticated('登录已过期或已退出，请重新登录');
    }
    if (access.roles.length && !principal.roles.some((role) => access.roles.includes(role))) {
      throw forbidden(`此操作需要以下角色之一：${access.roles.map((role) => labelOf(ROLE_TERMS, role)).join('、')}`);
    }
    request.principal = principal;
    return true;
  }
}
