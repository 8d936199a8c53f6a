import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Public } from '../auth/access.decorator';
import { DomainError } from '../common/domain-error';

@ApiTags('health')
@Controller()
export class HealthController {
  constructor(private readonly dataSource: DataSource) {}

  /** Liveness: the process answers (no database call, so a slow database does not get the process restarted). */
  @Public()
  @Get('health/live')
  live() {
    return { status: 'ok' };
  }

  /** Readiness: the database answers and the migrations are all applied. */
  @Public()
  @Get('health/ready')
  async ready() {
    try {
      const pending = await this.dataSource.showMigrations();
      if (pending) throw new Error('pending migrations');
    } catch {
      throw new DomainError('unavailable', '数据库不可用或迁移未完成');
    }
    return { status: 'ready' };
  }

  @Public()
  @Get('health')
  async health() {
    try {
      await this.dataSource.query('SELECT 1');
    } catch {
      throw new DomainError('unavailable', '数据库不可用');
    }
    return { status: 'ok' };
  }
}
