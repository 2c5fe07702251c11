import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';

/** OAuth2 client credentials request (form-encoded or JSON); the client may authenticate with HTTP Basic instead. */
export class TokenRequest {
  @ApiProperty({ enum: ['client_credentials'] })
  @IsIn(['client_credentials'], { message: 'grant_type must be client_credentials' })
  grant_type!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  client_id?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(500)
  client_secret?: string;

  @ApiPropertyOptional({
    description: 'Space-separated scopes; defaults to all the client may have',
    example: 'crm:read',
  })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  scope?: string;
}

export class TokenResponse {
  @ApiProperty()
  access_token!: string;

  @ApiProperty({ enum: ['Bearer'] })
  token_type!: 'Bearer';

  @ApiProperty({ description: 'Seconds until the token expires' })
  expires_in!: number;

  @ApiProperty({ example: 'crm:read crm:write' })
  scope!: string;
}
