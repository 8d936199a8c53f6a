import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Public } from '../auth/access.decorator';
import { DomainError } from '../common/domain-error';
import { ApiErrors } from '../common/error-response.dto';
import { HealthDto, ReadinessDto } from './dto/health-views.dto';

@ApiTags('health')
@Controller()
export class HealthController {
  constructor(private readonly dataSource: DataSource) {}

  /** Liveness: the process answers (no database call, so a slow database does not get the process restarted). */
  @Public()
  @Get('health/live')
  @ApiOperation({ summary: '存活检查：进程在应答（不查数据库）' })
  @ApiOkResponse({ type: HealthDto })
  live() {
    return { status: 'ok' };
  }

  /** Readiness: the database answers and the migrations are all applied. */
  @Public()
  @Get('health/ready')
  @ApiOperation({ summary: '就绪检查：数据库可用，迁移都已执行' })
  @ApiOkResponse({ type: ReadinessDto })
  @ApiErrors([503, '数据库不可用或迁移未完成'])
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
  @ApiOperation({ summary: '健康检查：数据库可用' })
  @ApiOkResponse({ type: HealthDto })
  @ApiErrors([503, '数据库不可用'])
  async health() {
    try {
      await this.dataSource.query('SELECT 1');
    } catch {
      throw new DomainError('unavailable', '数据库不可用');
    }
    return { status: 'ok' };
  }
}
