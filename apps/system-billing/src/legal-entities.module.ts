import { Global, Module } from '@nestjs/common';
import { BillingConfig } from './billing.config';
import { LegalEntityDirectory, parseLegalEntities } from './legal-entities';

/** The legal entities that invoice (BILLING_LEGAL_ENTITIES, validated when the config loads). */
@Global()
@Module({
  providers: [
    {
      provide: LegalEntityDirectory,
      inject: [BillingConfig],
      useFactory: (config: BillingConfig) =>
        new LegalEntityDirectory(parseLegalEntities(config.BILLING_LEGAL_ENTITIES).entities),
    },
  ],
  exports: [LegalEntityDirectory],
})
export class LegalEntitiesModule {}
