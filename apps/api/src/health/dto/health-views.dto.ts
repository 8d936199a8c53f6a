import { ApiProperty } from '@nestjs/swagger';

export class HealthDto {
  @ApiProperty({ enum: ['ok'], description: '服务在运行（/health 另查数据库可用）' }) status!: 'ok';
}

export class ReadinessDto {
  @ApiProperty({ enum: ['ready'], description: '数据库可用，迁移都已执行：可以接收请求' }) status!: 'ready';
}
