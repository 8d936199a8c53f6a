import { ApiProperty } from '@nestjs/swagger';

/** GET /api/public/verify/{code}: what the agency issued under a 验证码 — no name, address or case number. */
export class VerifiedLetterDto {
  @ApiProperty({ description: '出具机关', example: '上海市某区住房保障和房屋管理局' }) agency!: string;
  @ApiProperty({ description: '文书名称', example: '政府信息公开申请答复书' }) title!: string;
  @ApiProperty({ description: '文号', example: '信息公开答复〔2025〕12号' }) number!: string;
  @ApiProperty({ description: '出具日期', format: 'date', example: '2025-10-23' }) issuedAt!: string;
  @ApiProperty({ description: '收件人类别（申请人、第三方或其他机关），不含姓名', example: '申请人' }) addresseeCategory!: string;
  @ApiProperty({ description: '文书 PDF 的 SHA-256 数字指纹（十六进制）', example: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08' }) sha256!: string;
  @ApiProperty({ description: 'PDF 是否带有本机关的电子签名（PAdES）' }) signed!: boolean;
}
