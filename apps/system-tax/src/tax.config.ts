import { IsIn, IsInt, Max, Min } from 'class-validator';
import { toInt } from '@revgate/platform';
import { EventsConfig } from '@revgate/events';

/** The app produces events: its config carries the relay and webhook variables. */
export class TaxConfig extends EventsConfig {
  @toInt()
  @IsInt({ message: 'PORT must be an integer from 0 to 65535' })
  @Min(0, { message: 'PORT must be an integer from 0 to 65535' })
  @Max(65535, { message: 'PORT must be an integer from 0 to 65535' })
  override PORT = 3003;

  /** Which tax engine the API fronts. Only the sandbox exists so far; Avalara comes with the connectors issue. */
  @IsIn(['sandbox'], { message: 'TAX_PROVIDER must be sandbox' })
  TAX_PROVIDER = 'sandbox';
}
