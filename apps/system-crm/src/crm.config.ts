import { IsBoolean, IsIn } from 'class-validator';
import { toBool, toInt } from '@revgate/platform';
import { EventsConfig } from '@revgate/events';
import { IsInt, Max, Min } from 'class-validator';

/** The app produces events: its config carries the relay and webhook variables. */
export class CrmConfig extends EventsConfig {
  @toInt()
  @IsInt({ message: 'PORT must be an integer from 0 to 65535' })
  @Min(0, { message: 'PORT must be an integer from 0 to 65535' })
  @Max(65535, { message: 'PORT must be an integer from 0 to 65535' })
  override PORT = 3001;

  /** Which CRM the API fronts. Only the sandbox exists so far; Salesforce comes with the connectors issue. */
  @IsIn(['sandbox'], { message: 'CRM_PROVIDER must be sandbox' })
  CRM_PROVIDER = 'sandbox';

  /** Seed a small demo data set into an empty sandbox at start. */
  @toBool()
  @IsBoolean({ message: 'CRM_SEED_DEMO must be true or false' })
  CRM_SEED_DEMO = true;
}
